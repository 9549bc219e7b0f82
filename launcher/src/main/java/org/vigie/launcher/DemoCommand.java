package org.vigie.launcher;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vigie.server.cli.ConfigFiles;
import org.vigie.server.cli.Doctor;
import org.vigie.server.cli.RunCommand;
import org.vigie.server.config.ConfigException;
import org.vigie.server.config.VmsConfig;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.simulator.onvif.OnvifSimulator;
import org.vigie.simulator.onvif.SimulatorCredentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vms demo}: the newcomer's first run. Starts the project's simulator (one RTSP camera per camera of
 * {@code conf/demo.yaml} on 127.0.0.1:8555, and their ONVIF face on 127.0.0.1:8580) and the server on
 * {@code conf/demo.yaml}, recording into {@code ./var/recordings}, until Ctrl-C. It first checks with {@link Doctor} that
 * the system has what the server and the simulator need and that the ports are free.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the server on demo cameras served by the simulator.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--config", defaultValue = "${sys:vms.home:-.}/conf/demo.yaml", description = "Demo configuration (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--simulator-port", defaultValue = "" + Doctor.DEMO_SIMULATOR_PORT, description = "Port of the simulated cameras (default: ${DEFAULT-VALUE}).")
    int simulatorPort;

    @Option(names = "--onvif-port", defaultValue = "" + Doctor.DEMO_ONVIF_PORT,
            description = "HTTP port of the simulated cameras' ONVIF face (default: ${DEFAULT-VALUE}).")
    int onvifPort;

    @Option(names = "--onvif-discovery-port", defaultValue = "3702",
            description = "WS-Discovery port of the ONVIF face, on lo only (default: ${DEFAULT-VALUE}).")
    int discoveryPort;

    @Override
    public Integer call() throws Exception {
        VmsConfig c = ConfigFiles.loadOrReport(config);
        if (c == null) {
            return ConfigException.EXIT_CODE;
        }
        // what the demo needs from the system, checked before anything starts: a missing element or a busy port
        // is named with its fix here rather than found half-way through the start
        Doctor.Report health = Doctor.check(new Doctor.Scope(EnumSet.of(Doctor.Use.SERVER, Doctor.Use.DEMO),
                c.storage().path(), Doctor.demoPorts(c.server().httpPort(), c.server().rtspPort(), simulatorPort, onvifPort)));
        if (!health.ok()) {
            Doctor.print(health, System.out);
            System.out.println("demo: not started (bin/vms doctor checks again)");
            return 1;
        }
        CameraSimulator sim = CameraSimulator.start(simulatorPort, c.cameras().size(), SimulatorOptions.defaults());
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "demo-simulator-shutdown"));
        // the ONVIF face answers with the credentials of the demo's ONVIF camera (conf/demo.yaml), if it has one
        SimulatorCredentials account = c.cameras().stream().filter(cam -> cam.onvif() != null && cam.username() != null)
                .findFirst().map(cam -> new SimulatorCredentials(cam.username(), cam.password() == null ? "" : cam.password()))
                .orElse(null);
        Map<String, String> names = new HashMap<>();
        c.cameras().forEach(cam -> names.put(cam.id(), cam.name()));
        OnvifSimulator onvif = OnvifFace.start(sim, onvifPort, discoveryPort, account, names, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(onvif::close, "demo-onvif-shutdown"));
        System.out.println("demo: " + c.cameras().size() + " simulated cameras on rtsp://127.0.0.1:" + simulatorPort
                + "/cam-001..., recording into " + c.storage().path().toAbsolutePath() + " (Ctrl-C to stop)");
        return RunCommand.runUntilStopped(c);
    }
}
