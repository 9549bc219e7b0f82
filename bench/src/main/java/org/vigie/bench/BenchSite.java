package org.vigie.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.Catalog;
import org.vigie.testing.FreePort;

/**
 * What the load harnesses that record share: the simulated cameras in a child JVM, the server's
 * configuration for them, and the count of frames lost from the recordings.
 */
final class BenchSite {

    private BenchSite() {
    }

    /** The id of simulated camera {@code i} (1-based), as the simulator names its paths. */
    static String cameraId(int i) {
        return String.format("cam-%03d", i);
    }

    /**
     * Writes a server configuration recording the {@code cameras} simulated cameras into {@code storage}, listening
     * on free ports of 127.0.0.1; {@code extra} is appended as is (more sections).
     */
    static Path writeConfig(Path file, Path storage, int cameras, int simPort, String extra) throws IOException {
        StringBuilder yaml = new StringBuilder();
        yaml.append("server: { bind-address: 127.0.0.1, http-port: ").append(FreePort.pick()).append(", rtsp-port: ")
                .append(FreePort.pick()).append(" }\n")
                .append("storage: { path: '").append(storage).append("' }\n").append(extra).append("cameras:\n");
        for (int i = 1; i <= cameras; i++) {
            yaml.append("  - { id: ").append(cameraId(i)).append(", url: 'rtsp://127.0.0.1:").append(simPort).append('/')
                    .append(cameraId(i)).append("' }\n");
        }
        return Files.writeString(file, yaml);
    }

    /** The {@code http-port} of a configuration written by {@link #writeConfig}. */
    static int httpPort(Path config) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("http-port: (\\d+)").matcher(Files.readString(config));
        if (!m.find()) throw new IOException("no http-port in " + config);
        return Integer.parseInt(m.group(1));
    }

    /** Frames recorded in a window, against {@code floor(25 x window)} per stream. */
    record FrameCount(long recorded, long expected, long lost) {
    }

    /**
     * Counts, from the recordings of a stopped server, the frames of each camera whose wall time falls in
     * {@code [t0, t1)}: a stream holds floor(25 x window) or one more frame in the window, whatever its phase, so any
     * stream below the floor lost frames, and a stream above it never hides another's loss.
     */
    static FrameCount countFrames(Path storage, int cameras, Instant t0, Instant t1) throws IOException {
        ArchiveReader reader = new ArchiveReader(Catalog.load(storage));
        long perStream = (long) Math.floor(25.0 * Duration.between(t0, t1).toNanos() / 1e9);
        long recorded = 0;
        long lost = 0;
        for (int i = 1; i <= cameras; i++) {
            long n = org.vigie.recorder.testing.RecordedFrames.count(reader, StreamKey.main(cameraId(i)), t0, t1);
            recorded += n;
            lost += Math.max(0, perStream - n);
        }
        return new FrameCount(recorded, perStream * cameras, lost);
    }

    /**
     * N simulated cameras in a child JVM on this harness's classpath (the simulator is not in the server's jar),
     * once they have printed their URLs.
     */
    static Process startSimulator(int cameras, int port, String preset) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.vigie.simulator.SimulatorMain", "--cameras",
                String.valueOf(cameras), "--port", String.valueOf(port), "--preset", preset);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            awaitLines(p, cameras, Duration.ofMinutes(3));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
        return p;
    }

    /**
     * Waits until a simulator process has printed its {@code n} camera URLs, then discards the rest of its output on a
     * daemon thread (a full pipe would stall it).
     */
    static void awaitLines(Process p, int n, Duration timeout) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (seen < n) {
            if (System.nanoTime() > deadline) throw new IOException("simulator did not start within " + timeout);
            String line = r.readLine();
            if (line == null) throw new IOException("simulator exited: " + p.waitFor());
            if (line.startsWith("rtsp://")) seen++;
        }
        Thread drain = new Thread(() -> {
            try {
                while (r.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // simulator stopped
            }
        }, "bench-sim-drain");
        drain.setDaemon(true);
        drain.start();
    }
}
