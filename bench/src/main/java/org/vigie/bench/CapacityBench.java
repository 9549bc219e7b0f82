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
import org.vigie.bench.IngestBench.Contender;
import org.vigie.testing.FreePort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vms bench capacity}: the largest number of simulated cameras each ingest engine records with 0 frames lost
 * over the window (issue 11). For each engine, {@link CapacitySearch} doubles the camera count from {@code --start}
 * while probes pass, then bisects. Each probe is one {@code bench ingest} measurement of that engine alone
 * ({@link IngestBench#measureVigie}: the same server start, JVM options, environment, readiness wait, warm-up and
 * frame count from the recordings) against a fresh simulator of exactly that many cameras. The simulator runs in
 * its own JVM: its CPU over the window is measured apart, from its own process. A probe passes when every camera
 * streams within the readiness timeout and the recordings lose 0 frames in the window. Writes
 * {@code capacity-<time>.md} and {@code .json} into the output folder.
 */
@Command(name = "capacity", mixinStandardHelpOptions = true,
        description = "The largest camera count each engine records with 0 frames lost over the window (doubling, then bisecting).")
final class CapacityBench implements java.util.concurrent.Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--engines", defaultValue = "java,gstreamer", split = ",", description = "java, gstreamer or both, searched in this order.")
    List<String> engines;
    @Option(names = "--seconds", defaultValue = "60", description = "Measured window of each probe.") int seconds;
    @Option(names = "--warmup", defaultValue = "10", description = "Seconds after every camera streams, before measuring.") int warmup;
    @Option(names = "--start", defaultValue = "100", description = "First camera count probed.") int start;
    @Option(names = "--max", defaultValue = "2000", description = "Largest camera count probed.") int max;
    @Option(names = "--ready-timeout", description = "Seconds every camera may take to stream (default: 60 + 1 per camera).")
    Integer readyTimeout;
    @Option(names = "--budget-minutes", defaultValue = "0", description = "Per engine: start no probe after this many minutes (0: no limit); the report says where the search stopped.")
    int budgetMinutes;
    @Option(names = "--preset", defaultValue = "720p", description = "Simulator clip: 720p (2 Mbit/s) or 240p.") String preset;
    @Option(names = "--out", defaultValue = "bench-results") Path out;

    /** One probe's figures; {@code failure} is null when every camera streamed. */
    record Probe(Contender engine, int cameras, boolean passed, String failure, long framesRecorded,
                 long framesExpected, long framesLost, double serverCpuPercent, double simulatorCpuPercent,
                 double rssMb, double loadAverage) {
    }

    private final List<Probe> probes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<Contender> order = new ArrayList<>();
        for (String e : engines) {
            switch (e.trim()) {
                case "java" -> order.add(Contender.VIGIE_JAVA);
                case "gstreamer" -> order.add(Contender.VIGIE_GST);
                default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--engines: java or gstreamer, got '" + e + "'");
            }
        }
        Files.createDirectories(out);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        List<CapacitySearch.Result> results = new ArrayList<>();
        for (Contender engine : order) {
            long deadline = System.nanoTime() + Duration.ofMinutes(budgetMinutes).toNanos();
            CapacitySearch.Result r = CapacitySearch.search(start, max, n -> probe(engine, n),
                    () -> budgetMinutes == 0 || System.nanoTime() < deadline);
            results.add(r);
            System.out.printf(Locale.ROOT, "%s: largest count with 0 frames lost: %d%s%n", name(engine),
                    r.largestGood(), r.complete() ? "" : " (search stopped by the time budget)");
            // written after each engine: a run cut short keeps what it measured
            write(stamp, order.subList(0, results.size()), results);
        }
        Path md = out.resolve("capacity-" + stamp + ".md");
        System.out.println(Files.readString(md));
        System.out.println("written to " + md);
        return 0;
    }

    private boolean probe(Contender engine, int cameras) {
        Path work = null;
        Process sim = null;
        double loadBefore = IngestBench.loadAverage();
        try {
            work = Files.createTempDirectory("vms-capacity-");
            int simPort = FreePort.pick();
            sim = BenchSite.startSimulator(cameras, simPort, preset);
            IngestBench bench = new IngestBench(cameras, Duration.ofSeconds(seconds), Duration.ofSeconds(warmup), out,
                    preset, List.of(engine), 1, BenchCommand.serverJar());
            if (readyTimeout != null) bench.withReadinessTimeout(Duration.ofSeconds(readyTimeout));
            IngestBench.Measure m = bench.measureVigie(1, work, simPort, sim.pid(), engine);
            long lost = Math.round(m.framesLostPerStream() * cameras);
            Probe p = new Probe(engine, cameras, lost == 0, null, m.framesRecorded(), m.framesExpected(), lost,
                    m.cpuPercentPerStream() * cameras, m.simulatorCpuPercent(), m.rssMbPerStream() * cameras,
                    m.loadAverage());
            return record(p);
        } catch (Exception e) {
            return record(new Probe(engine, cameras, false, String.valueOf(e.getMessage()), 0, 0, -1, Double.NaN,
                    Double.NaN, Double.NaN, loadBefore));
        } finally {
            if (sim != null) {
                sim.destroy();
                try {
                    if (!sim.waitFor(10, TimeUnit.SECONDS)) sim.destroyForcibly();
                } catch (InterruptedException e) {
                    sim.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            if (work != null) deleteTree(work); // the recordings: disk
        }
    }

    private boolean record(Probe p) {
        probes.add(p);
        System.out.println(line(p));
        return p.passed();
    }

    private static String name(Contender c) {
        return c == Contender.VIGIE_JAVA ? "java" : "gstreamer";
    }

    private static String line(Probe p) {
        if (p.failure() != null) {
            return String.format(Locale.ROOT, "| %s | %d | failed: %s | | | | | | | %.1f |", name(p.engine()), p.cameras(),
                    p.failure().replace('|', '/'), p.loadAverage());
        }
        return String.format(Locale.ROOT, "| %s | %d | %s | %d/%d | %d | %.1f | %.3f | %.1f | %.0f | %.1f |",
                name(p.engine()), p.cameras(), p.passed() ? "yes" : "no", p.framesRecorded(), p.framesExpected(),
                p.framesLost(), p.serverCpuPercent(), p.serverCpuPercent() / p.cameras(), p.simulatorCpuPercent(),
                p.rssMb(), p.loadAverage());
    }

    private void write(String stamp, List<Contender> engines, List<CapacitySearch.Result> results) throws IOException {
        StringBuilder md = new StringBuilder("# Capacity: cameras recorded with 0 frames lost\n\n")
                .append(String.format(Locale.ROOT, "Command: `bin/vms bench capacity --engines %s --seconds %d --warmup %d --start %d --max %d --preset %s%s%s`%n%n",
                        String.join(",", engines.stream().map(CapacityBench::name).toList()), seconds, warmup, start,
                        max, preset, readyTimeout == null ? "" : " --ready-timeout " + readyTimeout,
                        budgetMinutes == 0 ? "" : " --budget-minutes " + budgetMinutes))
                .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(", Java ").append(System.getProperty("java.version")).append("\n\n")
                .append("Each probe: a fresh simulator of N cameras (its own JVM), the server as `bench ingest` runs it "
                        + "(JVM options of `vms jvm-options` for N, environment `")
                .append(new java.util.TreeMap<>(IngestBench.serverEnvironment()))
                .append("`), the window once every camera streams and after the warm-up; frames counted from the "
                        + "recordings. CPU in % of one core over the window; the simulator's CPU is its own process's, "
                        + "not counted in the server's. Load: one-minute load average when the window starts.\n\n")
                .append("| engine | cameras | 0 lost | frames recorded/expected | lost | server CPU % | per stream | "
                        + "simulator CPU % | server RSS MB | load |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Probe p : probes) {
            md.append(line(p)).append('\n');
        }
        md.append('\n');
        for (int i = 0; i < results.size(); i++) {
            CapacitySearch.Result r = results.get(i);
            md.append(String.format(Locale.ROOT, "- **%s engine: %d cameras** with 0 frames lost over %d s%s%n",
                    name(engines.get(i)), r.largestGood(), seconds,
                    r.firstBad() < 0 ? " (every probe passed, up to --max)"
                            : " (" + r.firstBad() + " lost frames or did not stream"
                            + (r.complete() ? ")" : "; search stopped by the time budget before its step)")));
        }
        Files.writeString(out.resolve("capacity-" + stamp + ".md"), md);

        StringBuilder js = new StringBuilder("{\n  \"seconds\": " + seconds + ",\n  \"warmupSeconds\": " + warmup
                + ",\n  \"preset\": \"" + preset + "\",\n  \"engines\": [\n");
        for (int i = 0; i < results.size(); i++) {
            CapacitySearch.Result r = results.get(i);
            js.append(String.format(Locale.ROOT, "    {\"engine\": \"%s\", \"largestWithZeroLost\": %d, \"firstFailed\": %s, \"complete\": %s}%s%n",
                    name(engines.get(i)), r.largestGood(), r.firstBad() < 0 ? "null" : String.valueOf(r.firstBad()),
                    r.complete(), i + 1 < results.size() ? "," : ""));
        }
        js.append("  ],\n  \"probes\": [\n");
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            js.append(String.format(Locale.ROOT, "    {\"engine\": \"%s\", \"cameras\": %d, \"passed\": %s, \"failure\": %s, "
                            + "\"framesRecorded\": %d, \"framesExpected\": %d, \"framesLost\": %d, \"serverCpuPercent\": %s, "
                            + "\"simulatorCpuPercent\": %s, \"serverRssMb\": %s, \"loadAverage\": %s}%s%n",
                    name(p.engine()), p.cameras(), p.passed(),
                    p.failure() == null ? "null" : "\"" + p.failure().replace("\\", "\\\\").replace("\"", "\\\"") + "\"",
                    p.framesRecorded(), p.framesExpected(), p.framesLost(), num(p.serverCpuPercent()),
                    num(p.simulatorCpuPercent()), num(p.rssMb()), num(p.loadAverage()),
                    i + 1 < probes.size() ? "," : ""));
        }
        js.append("  ]\n}\n");
        Files.writeString(out.resolve("capacity-" + stamp + ".json"), js);
    }

    private static String num(double d) {
        return Double.isNaN(d) ? "null" : String.format(Locale.ROOT, "%.3f", d);
    }

    private static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
