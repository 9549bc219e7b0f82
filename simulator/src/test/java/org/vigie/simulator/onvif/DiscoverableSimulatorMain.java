package org.vigie.simulator.onvif;

import java.io.IOException;
import java.io.InputStream;
import java.net.NetworkInterface;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child-process entry point for discovery tests run inside a {@link LoopbackOnlyNamespace}: starts an
 * {@link OnvifSimulator} on 127.0.0.1 (HTTP on a free port, WS-Discovery on 3702, multicast group joined on
 * {@code lo}), account {@code admin}/{@code Secret1}, then prints {@code READY <httpPort>} on stdout.
 *
 * <p>Arguments: {@code id=rtspUrl} per camera. It stops when its stdin reaches end of file (the parent closed it
 * or died) or after {@value #MAX_LIFE_SECONDS} s, whichever comes first, so it can never outlive a test for long.
 */
public final class DiscoverableSimulatorMain {

    static final String USER = "admin";
    static final String PASSWORD = "Secret1";
    static final int MAX_LIFE_SECONDS = 120;

    private DiscoverableSimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        List<SimulatedCameraInfo> cameras = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected id=rtspUrl, got " + arg);
            }
            String id = arg.substring(0, eq);
            cameras.add(new SimulatedCameraInfo(id, "Camera " + id, arg.substring(eq + 1)));
        }
        OnvifSimulator.Options options = new OnvifSimulator.Options("127.0.0.1", 0,
                new SimulatorCredentials(USER, PASSWORD), 3702, NetworkInterface.getByName("lo"),
                InstantSource.system(), Duration.ZERO, Duration.ofSeconds(60));
        CountDownLatch stdinClosed = new CountDownLatch(1);
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // drain until end of file
                }
            } catch (IOException ignored) {
                // treated as end of file
            }
            stdinClosed.countDown();
        }, "stdin-watcher");
        watcher.setDaemon(true);
        try (OnvifSimulator simulator = OnvifSimulator.start(options, cameras)) {
            watcher.start();
            System.out.println("READY " + simulator.httpPort());
            System.out.flush();
            stdinClosed.await(MAX_LIFE_SECONDS, TimeUnit.SECONDS);
        }
        System.exit(0);
    }
}
