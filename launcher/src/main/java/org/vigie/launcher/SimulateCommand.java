package org.vigie.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.SimulatorMain;
import org.vigie.simulator.onvif.OnvifSimulator;
import org.vigie.simulator.onvif.SimulatorCredentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code vms simulate --cameras N [--port P] ...}: serves N simulated RTSP cameras (see SimulatorMain) and their ONVIF
 * face (see {@link OnvifFace}) until the JVM is stopped.
 */
@Command(name = "simulate", description = "Serve N simulated RTSP cameras from a looping H.264 clip, and their ONVIF "
        + "face on 127.0.0.1: --cameras N [--port P] [--username U --password P] [--bind ADDR] [--preset 720p|240p] "
        + "[--clip FILE --fps F] [--onvif-port P (-1: off)] [--onvif-discovery-port P] [--onvif-username U --onvif-password P]")
public final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--onvif-port", defaultValue = "" + OnvifFace.DEFAULT_PORT,
            description = "HTTP port of the ONVIF face on 127.0.0.1; -1 serves RTSP only (default: ${DEFAULT-VALUE}).")
    int onvifPort;

    @Option(names = "--onvif-discovery-port", defaultValue = "3702",
            description = "WS-Discovery port of the ONVIF face, on lo (default: ${DEFAULT-VALUE}).")
    int discoveryPort;

    @Option(names = "--onvif-username", description = "Account the ONVIF face requires (default: none).")
    String onvifUsername;

    @Option(names = "--onvif-password", description = "Password of --onvif-username.")
    String onvifPassword;

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        if (onvifPort < 0) {
            return SimulatorMain.run(args.toArray(String[]::new));
        }
        CameraSimulator sim;
        try {
            sim = SimulatorMain.start(args.toArray(String[]::new), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("simulate: " + e.getMessage());
            System.err.println("usage: vms simulate --cameras N [--port P] [--username U --password P] [--bind ADDR] "
                    + "[--preset 720p|240p] [--clip FILE.h264 [--fps F]] [--onvif-port P] [--onvif-discovery-port P]");
            return 2;
        }
        OnvifSimulator onvif;
        try {
            onvif = OnvifFace.start(sim, onvifPort, discoveryPort, onvifUsername == null ? null
                    : new SimulatorCredentials(onvifUsername, onvifPassword == null ? "" : onvifPassword), Map.of(),
                    System.out);
        } catch (RuntimeException e) {
            sim.close();
            System.err.println("simulate: cannot start the ONVIF face: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            onvif.close();
            sim.close();
            stopped.countDown();
        }, "vigie-sim-shutdown"));
        stopped.await();
        return 0;
    }
}
