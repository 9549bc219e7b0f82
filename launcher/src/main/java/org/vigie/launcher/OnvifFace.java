package org.vigie.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vigie.server.cli.Doctor;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.onvif.OnvifSimulator;
import org.vigie.simulator.onvif.SimulatedCameraInfo;
import org.vigie.simulator.onvif.SimulatorCredentials;

/**
 * Starts the ONVIF face of the simulator in front of the RTSP simulator's cameras, for {@code vms simulate} and
 * {@code vms demo}: one HTTP port on 127.0.0.1 for every camera ({@code /onvif/<id>/device_service}) and a
 * WS-Discovery responder joined on {@code lo} only, so probes and answers never leave the machine.
 */
final class OnvifFace {

    /** The ONVIF port used when none is given. */
    static final int DEFAULT_PORT = Doctor.DEMO_ONVIF_PORT;

    private OnvifFace() {
    }

    /**
     * @param names       display names by camera id (absent: the id)
     * @param credentials the account every simulated camera requires, or null for none
     */
    static OnvifSimulator start(CameraSimulator rtsp, int port, int discoveryPort, SimulatorCredentials credentials,
                                Map<String, String> names, PrintStream out) throws InterruptedException {
        List<SimulatedCameraInfo> infos = new ArrayList<>();
        for (String id : rtsp.cameraIds()) {
            infos.add(new SimulatedCameraInfo(id, names.getOrDefault(id, id), rtsp.url(id).toString()));
        }
        OnvifSimulator onvif = OnvifSimulator.start(OnvifSimulator.Options.defaults("127.0.0.1", port, credentials)
                .withDiscoveryPort(discoveryPort), infos);
        out.println("ONVIF: " + infos.size() + " cameras at http://127.0.0.1:" + onvif.httpPort()
                + "/onvif/<id>/device_service, WS-Discovery on lo port " + discoveryPort
                + (credentials == null ? ", no authentication" : ", account " + credentials.username()));
        return onvif;
    }
}
