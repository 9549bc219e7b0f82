package org.vigie.simulator;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Command-line entry of the simulator, called by the launcher's {@code bin/vms simulate} (no picocli needed):
 * <pre>
 * simulate --cameras N [--port P] [--username U --password P] [--bind ADDR] [--preset 720p|240p]
 *          [--clip FILE.h264 [--fps F]] [--no-stagger]
 * </pre>
 * Prints one camera URL per line, then serves until the JVM is stopped (Ctrl-C).
 */
public final class SimulatorMain {

    /** The port used when {@code --port} is not given. */
    public static final int DEFAULT_PORT = 8554;

    private SimulatorMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Starts the simulator, prints its URLs and blocks until the JVM shuts down; returns an exit code. */
    public static int run(String[] args) {
        CameraSimulator sim;
        try {
            sim = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("simulate: " + e.getMessage());
            System.err.println(usage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "vigie-sim-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sim.close();
        }
        return 0;
    }

    /** Parses the arguments, starts the simulator and prints one URL per camera to {@code out}. */
    public static CameraSimulator start(String[] args, PrintStream out) {
        int cameras = -1;
        int port = DEFAULT_PORT;
        String user = null;
        String password = null;
        Integer fps = null;
        Path clip = null;
        SimulatorOptions options = SimulatorOptions.defaults();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--cameras" -> cameras = intValue(a, value(args, ++i, a));
                case "--port" -> port = intValue(a, value(args, ++i, a));
                case "--username" -> user = value(args, ++i, a);
                case "--password" -> password = value(args, ++i, a);
                case "--bind" -> options = options.withBindAddress(address(value(args, ++i, a)));
                case "--preset" -> options = options.withPreset(preset(value(args, ++i, a)));
                case "--clip" -> clip = Path.of(value(args, ++i, a));
                case "--fps" -> fps = intValue(a, value(args, ++i, a));
                case "--no-stagger" -> options = options.withStaggered(false);
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if (cameras < 1) {
            throw new IllegalArgumentException("--cameras N (N >= 1) is required");
        }
        if (clip != null) {
            options = options.withClipFile(clip, fps != null ? fps : 25);
        }
        if (user != null || password != null) {
            options = options.withCredentials(user, password);
        }
        CameraSimulator sim = CameraSimulator.start(port, cameras, options);
        for (String id : sim.cameraIds()) {
            out.println(sim.urlWithCredentials(id));
        }
        out.flush();
        return sim;
    }

    static String usage() {
        return "usage: simulate --cameras N [--port P] [--username U --password P] [--bind ADDR]"
                + " [--preset 720p|240p] [--clip FILE.h264 [--fps F]] [--no-stagger]";
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }

    private static int intValue(String name, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number: " + v);
        }
    }

    private static InetAddress address(String v) {
        try {
            return InetAddress.getByName(v);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown bind address " + v);
        }
    }

    private static ClipPreset preset(String v) {
        return switch (v) {
            case "720p" -> ClipPreset.HD_720P;
            case "240p" -> ClipPreset.SMALL_240P;
            default -> throw new IllegalArgumentException("unknown preset " + v + " (720p or 240p)");
        };
    }
}
