package org.vigie.bench;

import java.io.IOException;
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
import org.vigie.testing.FreePort;

/**
 * The ingest load harness ({@code vms bench ingest}): N simulated 720p25 2 Mbit/s cameras recorded for S seconds by
 * the Vigie server and, in the same run and against the same simulator, by one
 * {@code ffmpeg -rtsp_transport tcp -i URL -c copy -f segment} per camera (the baseline). With
 * {@code --gst-reference}, a third contender runs GStreamer's own chain without any recording or Java
 * ({@code gst-launch-1.0} with N {@code rtspsrc ! rtph264depay ! h264parse ! fakesink} branches): the floor of an
 * rtspsrc-based ingest. Each contender runs in its own processes and is measured from {@code /proc} over the same
 * window, one after the other; the window starts once the contender records every camera (a Vigie server's metrics
 * say each camera is streaming; each ffmpeg has opened its first segment), then after the warm-up; with {@code --rounds R} the sequence is repeated in ABC CBA
 * order, so that a drift of the machine's load weighs on every contender alike, and the report gives each round's
 * ratio and their median. Writes {@code ingest-<time>.md} and {@code .json} into the output folder.
 *
 * <p>Frames lost per stream are counted from the recordings themselves: frames whose wall time falls in the
 * measured window, against {@code floor(fps x window)} for each stream (the shortfalls of the streams added up).
 */
public final class IngestBench {

    /** The contenders, in the order of an odd round. */
    public enum Contender {
        VIGIE_JAVA("vigie, Java RTSP client engine (Netty event loops), Java fMP4 writer"),
        VIGIE_GST("vigie, GStreamer engine (rtspsrc), Java fMP4 writer"),
        FFMPEG("ffmpeg -c copy -f segment, one process per camera"),
        GST_REFERENCE("gst-launch-1.0 rtspsrc ! rtph264depay ! h264parse ! fakesink, one process, nothing recorded");

        final String label;

        Contender(String label) {
            this.label = label;
        }
    }

    private final int cameras;
    private final Duration window;
    private final Duration warmup;
    private final Path out;
    private final String preset;
    private final List<Contender> contenders;
    private final int rounds;
    private final Path serverJar;
    private boolean flightRecording;

    /**
     * @param serverJar the production server's jar ({@code server/target/vigie-server.jar}), run as
     *                  {@code bin/vms run} runs it; the simulator runs from this harness's own classpath
     */
    public IngestBench(int cameras, Duration window, Duration warmup, Path out, String preset,
                       List<Contender> contenders, int rounds, Path serverJar) {
        if (cameras < 1 || rounds < 1 || contenders.isEmpty()
                || !(contenders.contains(Contender.VIGIE_JAVA) || contenders.contains(Contender.VIGIE_GST))) {
            throw new IllegalArgumentException("cameras >= 1, rounds >= 1, and a vigie engine among the contenders");
        }
        this.cameras = cameras;
        this.window = window;
        this.warmup = warmup;
        this.out = out;
        this.preset = preset;
        this.contenders = List.copyOf(contenders);
        this.rounds = rounds;
        this.serverJar = serverJar;
    }

    /**
     * Records each Vigie server with Java Flight Recorder ({@code settings=profile}) into
     * {@code ingest-<time>-<engine>-round<R>.jfr} beside the report: where the CPU of the per-frame path goes
     * ({@code jfr print --events jdk.ExecutionSample}). The recorder itself costs about 1 % of a core: compare
     * figures of runs made alike.
     */
    public IngestBench withFlightRecording(boolean on) {
        this.flightRecording = on;
        return this;
    }

    /** Measured figures of one contender in one round. */
    record Measure(int round, Contender contender, double cpuPercentPerStream, double rssMbPerStream,
                   double pssMbPerStream, long threads, double framesLostPerStream, long framesRecorded,
                   long framesExpected, double simulatorCpuPercent, double loadAverage) {

        Measure(int round, Contender contender, double cpuPercentPerStream, double rssMbPerStream,
                double pssMbPerStream, long threads, double framesLostPerStream, long framesRecorded,
                long framesExpected) {
            this(round, contender, cpuPercentPerStream, rssMbPerStream, pssMbPerStream, threads, framesLostPerStream,
                    framesRecorded, framesExpected, Double.NaN, Double.NaN);
        }
    }

    private String stamp;

    public Path run() throws Exception {
        Files.createDirectories(out);
        stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path work = Files.createTempDirectory("vms-bench-");
        int simPort = FreePort.pick();
        List<Measure> results = new ArrayList<>();
        Process sim = BenchSite.startSimulator(cameras, simPort, preset);
        try {
            for (int round = 1; round <= rounds; round++) {
                List<Contender> order = new ArrayList<>(contenders);
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (Contender c : order) {
                    Path dir = Files.createDirectories(work.resolve("round-" + round));
                    results.add(switch (c) {
                        case VIGIE_JAVA -> measureVigie(round, dir, simPort, sim.pid(), c);
                        case VIGIE_GST -> measureVigie(round, dir, simPort, sim.pid(), c);
                        case FFMPEG -> measureFfmpeg(round, dir, simPort);
                        case GST_REFERENCE -> measureGstReference(round, dir, simPort);
                    });
                    System.out.println(line(results.get(results.size() - 1)));
                }
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

    /**
     * Records the {@code cameras} simulated cameras of the simulator on {@code simPort} (process {@code simPid}, whose
     * CPU over the window is measured apart) with a Vigie server and the given engine, as {@code bench ingest} does;
     * {@code bench capacity} runs its probes through here.
     *
     * @throws IOException when the server exits or not every camera streams within the readiness timeout
     */
    Measure measureVigie(int round, Path work, int simPort, long simPid, Contender engine) throws Exception {
        if (stamp == null) {
            stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        }
        String name = engine.name().toLowerCase(Locale.ROOT);
        Path storage = work.resolve(name);
        String password = ServerReadiness.newPassword();
        Path config = BenchSite.writeConfig(work.resolve("bench-" + name + ".yaml"), storage, cameras, simPort,
                "ingest: { engine: " + (engine == Contender.VIGIE_JAVA ? "java" : "gstreamer") + " }\n"
                        + "auth: { admin-password: '" + password + "' }\n");
        List<String> jvm = new ArrayList<>(serverJvmOptions(cameras));
        if (flightRecording) {
            jvm.add("-XX:StartFlightRecording=settings=profile,filename="
                    + out.toAbsolutePath().resolve("ingest-" + stamp + "-" + name + "-round" + round + ".jfr"));
        }
        Process server = start(List.of("run", "--config", config.toString()), work.resolve("server-" + name + ".log"),
                jvm, serverEnvironment());
        try {
            // The window starts once every camera streams, then after the warm-up (JIT, first fragments): a fixed
            // warm-up alone measured a server still connecting its cameras on a loaded machine (issue 11).
            Duration ready = ServerReadiness.awaitStreaming(server, BenchSite.httpPort(config), password, cameras,
                    readinessTimeout());
            System.out.printf(Locale.ROOT, "round %d, %s: every camera streaming after %.1f s%n", round, name,
                    ready.toMillis() / 1000.0);
            sleep(warmup);
            double load = loadAverage();
            Instant t0 = Instant.now();
            double c0 = ProcessSampler.cpuSeconds(server.pid());
            double s0 = ProcessSampler.cpuSeconds(simPid);
            sleep(window);
            double c1 = ProcessSampler.cpuSeconds(server.pid());
            double s1 = ProcessSampler.cpuSeconds(simPid);
            Instant t1 = Instant.now();
            long rss = ProcessSampler.rssBytes(server.pid());
            long pss = ProcessSampler.pssBytes(server.pid());
            long threads = ProcessSampler.threads(server.pid());
            // frames of the window still in the jitter buffer (ingest.latency) or a writer queue reach their
            // segment before the clean shutdown
            sleep(Duration.ofSeconds(2));
            server.destroy(); // SIGTERM: clean shutdown closes the open fragments
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            BenchSite.FrameCount frames = BenchSite.countFrames(storage, cameras, t0, t1);
            long recorded = frames.recorded();
            long lost = frames.lost();
            long expected = frames.expected();
            double seconds = Duration.between(t0, t1).toNanos() / 1e9;
            return new Measure(round, engine, 100.0 * (c1 - c0) / seconds / cameras,
                    rss / 1e6 / cameras, pss / 1e6 / cameras, threads,
                    lost / (double) cameras, recorded, expected, 100.0 * (s1 - s0) / seconds, load);
        } finally {
            server.destroyForcibly();
        }
    }

    /**
     * The server's JVM options for N cameras: those bin/vms run computes ({@code vms jvm-options}, see
     * {@link org.vigie.server.memory.JvmOptions}), so that the bench measures the server as a site runs it.
     */
    static List<String> serverJvmOptions(int cameras) {
        return org.vigie.server.memory.JvmOptions.forStreams(cameras, 0).arguments();
    }

    /**
     * The environment bin/vms gives the server (see bin/vms): GLib's slice allocator off, so that the ~4 GStreamer
     * threads of each camera do not each keep their own magazines of free memory, and two malloc arenas instead of
     * eight per core.
     */
    static java.util.Map<String, String> serverEnvironment() {
        return java.util.Map.of("G_SLICE", "always-malloc", "MALLOC_ARENA_MAX", "2");
    }

    private Measure measureFfmpeg(int round, Path work, int simPort) throws Exception {
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
            awaitFiles(work.resolve("ffmpeg"), procs);
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
            return new Measure(round, Contender.FFMPEG, 100.0 * (c1 - c0) / seconds / cameras,
                    rss / 1e6 / cameras, pss / 1e6 / cameras, threads, Double.NaN, -1, -1);
        } finally {
            for (Process p : procs) p.destroy();
            for (Process p : procs) {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    /**
     * GStreamer's own chain with nothing after the parser: what any rtspsrc-based ingest pays before it records a
     * byte. Same jitter-buffer latency as the server's default ({@code ingest.latency: 200ms}).
     */
    private Measure measureGstReference(int round, Path work, int simPort) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0", "-q"));
        for (int i = 1; i <= cameras; i++) {
            cmd.addAll(List.of("rtspsrc", "location=rtsp://127.0.0.1:" + simPort + "/" + String.format("cam-%03d", i),
                    "protocols=tcp", "latency=200", "!", "rtph264depay", "!", "h264parse", "!", "fakesink", "sync=false",
                    "async=false"));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true).redirectOutput(work.resolve("gst-launch.log").toFile());
        Process p = pb.start();
        try {
            sleep(warmup);
            if (!p.isAlive()) {
                throw new IOException("gst-launch-1.0 exited with " + p.exitValue() + ": see " + work.resolve("gst-launch.log"));
            }
            Instant t0 = Instant.now();
            double c0 = ProcessSampler.cpuSeconds(p.pid());
            sleep(window);
            double c1 = ProcessSampler.cpuSeconds(p.pid());
            double seconds = Duration.between(t0, Instant.now()).toNanos() / 1e9;
            return new Measure(round, Contender.GST_REFERENCE, 100.0 * (c1 - c0) / seconds / cameras,
                    ProcessSampler.rssBytes(p.pid()) / 1e6 / cameras, ProcessSampler.pssBytes(p.pid()) / 1e6 / cameras,
                    ProcessSampler.threads(p.pid()), Double.NaN, -1, -1);
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private Process start(List<String> args, Path log, List<String> jvmOpts) throws IOException {
        return start(args, log, jvmOpts, java.util.Map.of());
    }

    private Process start(List<String> args, Path log, List<String> jvmOpts, java.util.Map<String, String> env)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jvmOpts != null) cmd.addAll(jvmOpts);
        cmd.add("-jar");
        cmd.add(serverJar.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        if (log != null) {
            pb.redirectOutput(log.toFile());
        }
        return pb.start();
    }

    private static String line(Measure m) {
        return String.format(Locale.ROOT, "| %d | %s | %.3f | %.2f | %.2f | %d | %s |", m.round(), m.contender().label,
                m.cpuPercentPerStream(), m.rssMbPerStream(), m.pssMbPerStream(), m.threads(),
                Double.isNaN(m.framesLostPerStream()) ? "n/a"
                        : String.format(Locale.ROOT, "%.1f (%d/%d)", m.framesLostPerStream(), m.framesRecorded(),
                        m.framesExpected()));
    }

    /** CPU per stream of {@code a} over that of {@code b}, one value per round where both ran. */
    static List<Double> ratios(List<Measure> results, Contender a, Contender b) {
        List<Double> r = new ArrayList<>();
        for (Measure x : results) {
            if (x.contender() != a) continue;
            for (Measure y : results) {
                if (y.contender() == b && y.round() == x.round() && y.cpuPercentPerStream() > 0) {
                    r.add(x.cpuPercentPerStream() / y.cpuPercentPerStream());
                }
            }
        }
        return r;
    }

    static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.sort(null);
        int n = v.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private String report(List<Measure> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Ingest benchmark\n\n")
                .append(String.format(Locale.ROOT, "Command: `bin/vms bench ingest --cameras %d --seconds %d --warmup %d --preset %s --rounds %d --engines %s%s%s`%n%n",
                        cameras, window.toSeconds(), warmup.toSeconds(), preset, rounds,
                        String.join(",", contenders.stream().filter(c -> c == Contender.VIGIE_JAVA || c == Contender.VIGIE_GST)
                                .map(c -> c == Contender.VIGIE_JAVA ? "java" : "gstreamer").toList()),
                        contenders.contains(Contender.FFMPEG) ? "" : " --no-baseline",
                        contenders.contains(Contender.GST_REFERENCE) ? " --gst-reference" : ""))
                .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(", Java ").append(System.getProperty("java.version")).append("\n\n")
                .append("Server JVM options: `").append(String.join(" ", serverJvmOptions(cameras)))
                .append("`, environment: `").append(new java.util.TreeMap<>(serverEnvironment())).append("`\n\n")
                .append("| round | contender | CPU % of one core per stream | RSS MB per stream | PSS MB per stream | threads | frames lost per stream (recorded/expected) |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Measure m : results) {
            sb.append(line(m)).append('\n');
        }
        sb.append('\n');
        ratio(sb, "vigie java engine / ffmpeg", results, Contender.VIGIE_JAVA, Contender.FFMPEG);
        ratio(sb, "vigie GStreamer engine / ffmpeg", results, Contender.VIGIE_GST, Contender.FFMPEG);
        ratio(sb, "vigie java engine / vigie GStreamer engine", results, Contender.VIGIE_JAVA, Contender.VIGIE_GST);
        ratio(sb, "GStreamer chain alone / ffmpeg", results, Contender.GST_REFERENCE, Contender.FFMPEG);
        ratio(sb, "vigie java engine / GStreamer chain alone", results, Contender.VIGIE_JAVA, Contender.GST_REFERENCE);
        ratio(sb, "vigie GStreamer engine / GStreamer chain alone", results, Contender.VIGIE_GST,
                Contender.GST_REFERENCE);
        return sb.toString();
    }

    private void ratio(StringBuilder sb, String what, List<Measure> results, Contender a, Contender b) {
        if (contenders.contains(a) && contenders.contains(b)) {
            appendRatio(sb, what, ratios(results, a, b));
        }
    }

    private static void appendRatio(StringBuilder sb, String what, List<Double> r) {
        StringBuilder each = new StringBuilder();
        for (double x : r) {
            each.append(each.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", x));
        }
        sb.append(String.format(Locale.ROOT, "Ratio %s, CPU per stream: median **%.2f×** (each round: %s)%n%n", what,
                median(r), each));
    }

    private String json(List<Measure> results) {
        StringBuilder sb = new StringBuilder("{\n  \"cameras\": " + cameras + ",\n  \"seconds\": " + window.toSeconds()
                + ",\n  \"warmupSeconds\": " + warmup.toSeconds() + ",\n  \"rounds\": " + rounds
                + ",\n  \"serverJvmOptions\": \"" + String.join(" ", serverJvmOptions(cameras)) + "\""
                + ",\n  \"medianRatioJavaFfmpeg\": " + jsonNumber(median(ratios(results, Contender.VIGIE_JAVA, Contender.FFMPEG)))
                + ",\n  \"medianRatioGstFfmpeg\": " + jsonNumber(median(ratios(results, Contender.VIGIE_GST, Contender.FFMPEG)))
                + ",\n  \"medianRatioJavaGst\": " + jsonNumber(median(ratios(results, Contender.VIGIE_JAVA, Contender.VIGIE_GST)))
                + ",\n  \"results\": [\n");
        for (int i = 0; i < results.size(); i++) {
            Measure r = results.get(i);
            sb.append(String.format(Locale.ROOT, "    {\"round\": %d, \"contender\": \"%s\", \"cpuPercentPerStream\": %.4f, \"rssMbPerStream\": %.3f, "
                            + "\"pssMbPerStream\": %.3f, \"threads\": %d, \"framesLostPerStream\": %s, \"framesRecorded\": %d, \"framesExpected\": %d}%s%n",
                    r.round(), r.contender().name().toLowerCase(Locale.ROOT), r.cpuPercentPerStream(), r.rssMbPerStream(),
                    r.pssMbPerStream(), r.threads(), jsonNumber(r.framesLostPerStream()),
                    r.framesRecorded(), r.framesExpected(), i + 1 < results.size() ? "," : ""));
        }
        return sb.append("  ]\n}\n").toString();
    }

    private static String jsonNumber(double d) {
        return Double.isNaN(d) ? "null" : String.format(Locale.ROOT, "%.4f", d);
    }

    private Duration readinessTimeout;

    /** How long every camera may take to stream (default: a minute, plus a second per camera). */
    IngestBench withReadinessTimeout(Duration timeout) {
        this.readinessTimeout = timeout;
        return this;
    }

    /** How long every camera may take to stream: a minute, plus a second per camera (a loaded machine). */
    private Duration readinessTimeout() {
        return readinessTimeout != null ? readinessTimeout : Duration.ofSeconds(60 + cameras);
    }

    /** Waits until each ffmpeg has opened its first segment (it reads the stream), or fails the run. */
    private void awaitFiles(Path dir, List<Process> procs) throws Exception {
        long deadline = System.nanoTime() + readinessTimeout().toNanos();
        int ready = 0;
        while (System.nanoTime() < deadline) {
            ready = 0;
            for (int i = 1; i <= cameras; i++) {
                if (Files.exists(dir.resolve(BenchSite.cameraId(i)).resolve("00000.mp4"))) ready++;
            }
            if (ready == cameras) return;
            for (Process p : procs) {
                if (!p.isAlive()) throw new IOException("an ffmpeg exited with " + p.exitValue() + ": see " + dir);
            }
            Thread.sleep(200);
        }
        throw new IOException("only " + ready + " of " + cameras + " ffmpeg recorders started within "
                + readinessTimeout().toSeconds() + " s: see " + dir);
    }

    /** The one-minute load average ({@code /proc/loadavg}), NaN where there is none. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
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
