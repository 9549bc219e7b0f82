package org.vigie.web.it;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Issue 12's wall benchmark, in headless Chromium against the real server and simulator of {@link World}: a 4x4
 * wall of sub streams, then one tile on the main stream, each for {@code seconds} (the memory target asks
 * for 600). Samples {@code window.vigieStats()} every second: decoded frames per second of each tile, live delay
 * (p50, p95, max), dropped frames, the page's JS heap at start and end, and the CPU used by the browser's processes
 * and by this JVM (server, simulator and harness together). Not a test: it asserts nothing and is not run by
 * {@code mvn verify}. {@code bin/vms bench wall [--seconds S]} runs it from the benchmarks' jar (bench/, which has
 * this module's test-jar and Selenium; the production server's jar has neither). Writes its figures to
 * {@code <out>/wall-<time>.txt} and returns that file.
 *
 * <p>Targets (issue 12): every tile at least 24 decoded frames per second; live delay p95 at most 400 ms on the
 * 4x4 wall and 200 ms on one tile; no growth of the browser's memory over 10 minutes.
 */
public final class WallBench {

    private static final long TICKS_PER_SECOND = 100; // Linux USER_HZ, /proc/<pid>/stat

    private WallBench() {
    }

    /** Runs both walls for {@code seconds} each in a world of its own (under a temporary folder, removed after). */
    public static Path run(int seconds, Path out) throws Exception {
        Path dir = Files.createTempDirectory("vigie-bench-wall-");
        try (World world = World.start(dir)) {
            StringBuilder b = new StringBuilder();
            b.append("# bench wall: ").append(Instant.now()).append(", ").append(seconds).append(" s per run, ")
                    .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                    .append(Files.readString(Path.of("/proc/loadavg")).trim()).append(" (loadavg)\n");
            String all = IntStream.rangeClosed(1, 16).mapToObj(World::camera).collect(Collectors.joining(","));
            b.append(run(world, "4x4 sub", "#/wall?layout=4x4&cameras=" + all, 16, seconds));
            b.append(run(world, "1x1 main", "#/wall?layout=1&cameras=cam-01", 1, seconds));
            Path file = Files.createDirectories(out)
                    .resolve("wall-" + Instant.now().toString().replace(':', '-') + ".txt");
            Files.writeString(file, b);
            return file;
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temporary folder: left to the system
        }
    }

    private static String run(World world, String name, String hash, int tiles, int seconds) throws Exception {
        Client c = new Client(world).signInAsAdmin(hash);
        c.awaitTiles("live", tiles);
        Thread.sleep(3_000); // past the first key frames and the catch-up of the live edge
        List<Map<String, Object>> first = c.stats();
        long heapStart = heap(c);
        long browserCpu0 = browserCpuTicks(world);
        long jvmCpu0 = jvmCpuNanos();
        long t0 = System.nanoTime();
        List<Double> delays = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            Thread.sleep(1_000);
            for (Map<String, Object> t : c.stats().subList(0, tiles)) {
                Object d = t.get("liveDelayMs");
                if (d != null) delays.add(((Number) d).doubleValue());
            }
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        List<Map<String, Object>> last = c.stats();
        long heapEnd = heap(c);
        double browserCpu = (browserCpuTicks(world) - browserCpu0) / (double) TICKS_PER_SECOND / elapsed;
        double jvmCpu = (jvmCpuNanos() - jvmCpu0) / 1e9 / elapsed;

        StringBuilder b = new StringBuilder("\n## ").append(name).append(" (").append(String.format("%.0f", elapsed))
                .append(" s)\n");
        double minFps = Double.MAX_VALUE;
        long dropped = 0;
        for (int i = 0; i < tiles; i++) {
            double fps = (Client.decoded(last.get(i)) - Client.decoded(first.get(i))) / elapsed;
            minFps = Math.min(minFps, fps);
            dropped += ((Number) last.get(i).get("framesDropped")).longValue()
                    - ((Number) first.get(i).get("framesDropped")).longValue();
            b.append(String.format("tile %2d %-7s %-4s %5.1f decoded fps%n", i, last.get(i).get("camera"),
                    last.get(i).get("stream"), fps));
        }
        Collections.sort(delays);
        b.append(String.format("decoded fps, slowest tile: %.1f (target >= 24)%n", minFps));
        b.append(String.format("frames dropped by the browser: %d%n", dropped));
        b.append(String.format("live delay ms: p50 %.0f, p95 %.0f, max %.0f over %d samples (target p95 <= %d)%n",
                pct(delays, 0.50), pct(delays, 0.95), pct(delays, 1.0), delays.size(), tiles > 1 ? 400 : 200));
        b.append(String.format("page JS heap: %.1f MB at start, %.1f MB at end%n", heapStart / 1e6, heapEnd / 1e6));
        b.append(String.format("CPU: browser %.2f cores, JVM (server + simulator + harness) %.2f cores%n",
                browserCpu, jvmCpu));
        return b.toString();
    }

    private static double pct(List<Double> sorted, double p) {
        if (sorted.isEmpty()) return Double.NaN;
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1 < 0 ? 0
                : Math.ceil(p * sorted.size()) - 1));
    }

    private static long heap(Client c) {
        Object v = c.js("return performance.memory ? performance.memory.usedJSHeapSize : -1;");
        return ((Number) v).longValue();
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** utime + stime of chromedriver's descendants (the browser's processes), in clock ticks. */
    private static long browserCpuTicks(World world) throws IOException {
        long total = 0;
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
            Path stat = Path.of("/proc", String.valueOf(p.pid()), "stat");
            String cmd = p.info().command().orElse("");
            if (!cmd.contains("chrom")) continue;
            try {
                String s = Files.readString(stat);
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                total += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            } catch (IOException | RuntimeException e) {
                // the process ended between the listing and the read
            }
        }
        return total;
    }
}
