package org.vigie.server.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.vigie.media.Frame;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.storage.FrameCursor;

/**
 * The ingest load harness ({@code vms bench ingest}): N simulated 720p25 2 Mbit/s cameras recorded for S seconds,
 * first by the Vigie server, then, in the same run and against the same simulator, by one
 * {@code ffmpeg -rtsp_transport tcp -i URL -c copy -f segment} per camera (the baseline). Each recorder runs in its
 * own processes and is measured from {@code /proc} over the same window after the same warm-up. Writes
 * {@code ingest-<time>.md} and {@code .json} into the output folder.
 *
 * <p>Frames lost per stream are counted from the recordings themselves: frames whose wall time falls in the
 * measured window, against {@code fps x window}.
 */
public final class IngestBench {

    private final int cameras;
    private final Duration window;
    private final Duration warmup;
    private final Path out;
    private final String preset;
    private final boolean baseline;
    private final Path launcherJar;

    public IngestBench(int cameras, Duration window, Duration warmup, Path out, String preset, boolean baseline,
                       Path launcherJar) {
        this.cameras = cameras;
        this.window = window;
        this.warmup = warmup;
        this.out = out;
        this.preset = preset;
        this.baseline = baseline;
        this.launcherJar = launcherJar;
    }

    /** Measured figures of one recorder. */
    record Measure(String recorder, double cpuPercentPerStream, double rssMbPerStream, double pssMbPerStream,
                   long threads, double framesLostPerStream, long framesRecorded, long framesExpected) {
    }

    public Path run() throws Exception {
        Files.createDirectories(out);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path work = Files.createTempDirectory("vms-bench-");
        int simPort = 18554;
        List<Measure> results = new ArrayList<>();
        Process sim = start(List.of("simulate", "--cameras", String.valueOf(cameras), "--port", String.valueOf(simPort),
                "--preset", preset), work.resolve("simulator.log"), null);
        try {
            awaitLines(sim, cameras, Duration.ofMinutes(3));
            results.add(measureVigie(work, simPort));
            if (baseline) {
                results.add(measureFfmpeg(work, simPort));
            }
        } finally {
            sim.destroy();
            sim.waitFor(10, TimeUnit.SECONDS);
            sim.destroyForcibly();
        }
        Path md = out.resolve("ingest-" + stamp + ".md");
        Files.writeString(md, report(results));
        Files.writeString(out.resolve("ingest-" + stamp + ".json"), json(results));
        deleteTree(work);
        return md;
    }

    private Measure measureVigie(Path work, int simPort) throws Exception {
        Path storage = work.resolve("vigie");
        StringBuilder yaml = new StringBuilder();
        yaml.append("server: { bind-address: 127.0.0.1, http-port: 18080, rtsp-port: 18555 }\n")
                .append("storage: { path: '").append(storage).append("' }\ncameras:\n");
        for (int i = 1; i <= cameras; i++) {
            String id = String.format("cam-%03d", i);
            yaml.append("  - { id: ").append(id).append(", url: 'rtsp://127.0.0.1:").append(simPort).append('/')
                    .append(id).append("' }\n");
        }
        Path config = work.resolve("bench.yaml");
        Files.writeString(config, yaml);
        Process server = start(List.of("run", "--config", config.toString()), work.resolve("server.log"),
                serverJvmOptions(cameras));
        try {
            sleep(warmup);
            Instant t0 = Instant.now();
            double c0 = ProcessSampler.cpuSeconds(server.pid());
            sleep(window);
            double c1 = ProcessSampler.cpuSeconds(server.pid());
            Instant t1 = Instant.now();
            long rss = ProcessSampler.rssBytes(server.pid());
            long pss = ProcessSampler.pssBytes(server.pid());
            long threads = ProcessSampler.threads(server.pid());
            server.destroy(); // SIGTERM: clean shutdown closes the open fragments
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            long recorded = 0;
            Catalog catalog = Catalog.load(storage);
            ArchiveReader reader = new ArchiveReader(catalog);
            for (int i = 1; i <= cameras; i++) {
                recorded += countFrames(reader, StreamKey.main(String.format("cam-%03d", i)), t0, t1);
            }
            long expected = Math.round(25.0 * Duration.between(t0, t1).toNanos() / 1e9) * cameras;
            double seconds = Duration.between(t0, t1).toNanos() / 1e9;
            return new Measure("vigie (GStreamer ingest, Java fMP4 writer)", 100.0 * (c1 - c0) / seconds / cameras,
                    rss / 1e6 / cameras, pss / 1e6 / cameras, threads,
                    Math.max(0, expected - recorded) / (double) cameras, recorded, expected);
        } finally {
            server.destroyForcibly();
        }
    }

    /**
     * The server's JVM options for N cameras: a heap sized to the load (128 MB + 1.5 MB per camera: about one open
     * 2 s fragment and a short queue per 2 Mbit/s stream, plus the server's own needs), so that the old generation
     * does not grow towards an arbitrary ceiling with frames that outlived their fragment. The serial collector:
     * with a heap this small its pauses stay short and it costs no GC threads.
     */
    static List<String> serverJvmOptions(int cameras) {
        return List.of("-Xmx" + (128 + cameras * 3 / 2) + "m", "-Xss512k", "-XX:+UseSerialGC");
    }

    /** Frames of a stream whose wall time lies in {@code [from, to)}, read back from the recordings. */
    public static long countFrames(ArchiveReader reader, StreamKey key, Instant from, Instant to) throws IOException {
        long n = 0;
        long fromMicros = from.toEpochMilli() * 1000;
        long toMicros = to.toEpochMilli() * 1000;
        try (FrameCursor c = reader.framesFrom(key, from)) {
            while (c.hasNext()) {
                Frame f = c.next();
                if (f.wallMicros() >= toMicros) break;
                if (f.wallMicros() >= fromMicros) n++;
            }
        }
        return n;
    }

    private Measure measureFfmpeg(Path work, int simPort) throws Exception {
        List<Process> procs = new ArrayList<>();
        try {
            for (int i = 1; i <= cameras; i++) {
                String id = String.format("cam-%03d", i);
                Path dir = Files.createDirectories(work.resolve("ffmpeg").resolve(id));
                ProcessBuilder pb = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error",
                        "-rtsp_transport", "tcp", "-i", "rtsp://127.0.0.1:" + simPort + "/" + id,
                        "-c", "copy", "-f", "segment", "-segment_time", "60", "-reset_timestamps", "1",
                        dir.resolve("%05d.mp4").toString());
                pb.redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile());
                procs.add(pb.start());
            }
            sleep(warmup);
            List<Long> pids = procs.stream().map(Process::pid).toList();
            Instant t0 = Instant.now();
            double c0 = ProcessSampler.cpuSeconds(pids);
            sleep(window);
            double c1 = ProcessSampler.cpuSeconds(pids);
            double seconds = Duration.between(t0, Instant.now()).toNanos() / 1e9;
            long rss = 0;
            long pss = 0;
            long threads = 0;
            for (long p : pids) {
                rss += ProcessSampler.rssBytes(p);
                pss += ProcessSampler.pssBytes(p);
                threads += ProcessSampler.threads(p);
            }
            return new Measure("ffmpeg -c copy -f segment, one process per camera", 100.0 * (c1 - c0) / seconds / cameras,
                    rss / 1e6 / cameras, pss / 1e6 / cameras, threads, Double.NaN, -1, -1);
        } finally {
            for (Process p : procs) p.destroy();
            for (Process p : procs) {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    private Process start(List<String> args, Path log, List<String> jvmOpts) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jvmOpts != null) cmd.addAll(jvmOpts);
        cmd.add("-jar");
        cmd.add(launcherJar.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        if (log != null && !args.get(0).equals("simulate")) {
            pb.redirectOutput(log.toFile());
        }
        return pb.start();
    }

    /** Waits until the simulator has printed its camera URLs. */
    private static void awaitLines(Process p, int n, Duration timeout) throws Exception {
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

    private String report(List<Measure> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Ingest benchmark\n\n")
                .append(String.format(Locale.ROOT, "Command: `bin/vms bench ingest --cameras %d --seconds %d --warmup %d --preset %s`%n%n",
                        cameras, window.toSeconds(), warmup.toSeconds(), preset))
                .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(", Java ").append(System.getProperty("java.version")).append("\n\n")
                .append("Server JVM options: `").append(String.join(" ", serverJvmOptions(cameras))).append("`\n\n")
                .append("| recorder | CPU % of one core per stream | RSS MB per stream | PSS MB per stream | threads | frames lost per stream (recorded/expected) |\n")
                .append("|---|---|---|---|---|---|\n");
        for (Measure m : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.2f | %.2f | %d | %s |%n", m.recorder(),
                    m.cpuPercentPerStream(), m.rssMbPerStream(), m.pssMbPerStream(), m.threads(),
                    Double.isNaN(m.framesLostPerStream()) ? "n/a"
                            : String.format(Locale.ROOT, "%.1f (%d/%d)", m.framesLostPerStream(), m.framesRecorded(), m.framesExpected())));
        }
        if (results.size() == 2) {
            sb.append(String.format(Locale.ROOT, "%nRatio vigie / ffmpeg CPU per stream: **%.2f×**%n",
                    results.get(0).cpuPercentPerStream() / results.get(1).cpuPercentPerStream()));
        }
        return sb.toString();
    }

    private String json(List<Measure> results) {
        StringBuilder sb = new StringBuilder("{\n  \"cameras\": " + cameras + ",\n  \"seconds\": " + window.toSeconds()
                + ",\n  \"warmupSeconds\": " + warmup.toSeconds() + ",\n  \"results\": [\n");
        for (int i = 0; i < results.size(); i++) {
            Measure r = results.get(i);
            sb.append(String.format(Locale.ROOT, "    {\"recorder\": \"%s\", \"cpuPercentPerStream\": %.4f, \"rssMbPerStream\": %.3f, "
                            + "\"pssMbPerStream\": %.3f, \"threads\": %d, \"framesLostPerStream\": %s, \"framesRecorded\": %d, \"framesExpected\": %d}%s%n",
                    r.recorder(), r.cpuPercentPerStream(), r.rssMbPerStream(), r.pssMbPerStream(), r.threads(),
                    Double.isNaN(r.framesLostPerStream()) ? "null" : String.format(Locale.ROOT, "%.2f", r.framesLostPerStream()),
                    r.framesRecorded(), r.framesExpected(), i + 1 < results.size() ? "," : ""));
        }
        return sb.append("  ]\n}\n").toString();
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
