package org.vigie.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.vigie.testing.FreePort;

/**
 * {@code vms bench soak --cameras N --minutes M}: the server as a site starts it ({@code bin/vms run --config F},
 * so with the JVM options {@code vms jvm-options} chooses, unless {@code --java-opts} gives {@code VMS_JAVA_OPTS})
 * records N simulated cameras for M minutes; every minute its resident memory is sampled from {@code /proc} and
 * its {@code /metrics} scraped (heap, direct and native memory, frames lost by ingest, frames dropped by the
 * writer queues); after the clean shutdown the recordings are counted against 25 frames per second for each
 * camera over the whole soak after the first minute. Writes {@code soak-<time>.md} and {@code .json} into the output
 * folder.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Record N simulated cameras for M minutes with the server's default options; resident memory every minute.")
final class SoakBench implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--cameras", defaultValue = "60") int cameras;
    @Option(names = "--minutes", defaultValue = "20") int minutes;
    @Option(names = "--preset", defaultValue = "720p", description = "Simulator clip: 720p (2 Mbit/s) or 240p.") String preset;
    @Option(names = "--java-opts", description = "VMS_JAVA_OPTS for the server instead of its default options "
            + "(e.g. the former default: '-Xss512k -XX:+UseG1GC -XX:MaxRAMPercentage=50').") String javaOpts;
    @Option(names = "--out", defaultValue = "bench-results") Path out;

    /** One sample, taken at the end of each minute. */
    record Sample(int minute, long rssBytes, double heapUsed, double heapCommitted, double directUsed,
                  double nativeResident, double framesLost, double framesDropped, double reconnects) {
    }

    @Override
    public Integer call() throws Exception {
        if (cameras < 1 || minutes < 2) throw new IllegalArgumentException("--cameras >= 1 and --minutes >= 2");
        Files.createDirectories(out);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path work = Files.createTempDirectory("vms-soak-");
        Path storage = work.resolve("recordings");
        String password = UUID.randomUUID().toString();
        int simPort = FreePort.pick();
        Path config = BenchSite.writeConfig(work.resolve("soak.yaml"), storage, cameras, simPort,
                "auth: { admin-password: '" + password + "' }\n");
        int httpPort = Integer.parseInt(Files.readString(config).replaceAll("(?s).*http-port: (\\d+).*", "$1"));
        List<Sample> samples = new ArrayList<>();
        String options;
        Instant t0;
        Instant t1;
        Process sim = BenchSite.startSimulator(cameras, simPort, preset);
        try {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("vms.home", "."), "bin", "vms").toString(),
                    "run", "--config", config.toString());
            pb.environment().remove("VMS_JAVA_OPTS");
            if (javaOpts != null) pb.environment().put("VMS_JAVA_OPTS", javaOpts);
            pb.redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile());
            Process server = pb.start(); // bin/vms execs java: the same pid
            try {
                Metrics metrics = new Metrics(httpPort, password);
                metrics.awaitUp(Duration.ofMinutes(3), server);
                options = jvmOptions(server.pid());
                System.out.println("server JVM options: " + options);
                t0 = Instant.now();
                for (int m = 1; m <= minutes; m++) {
                    Thread.sleep(Duration.between(Instant.now(), t0.plus(Duration.ofMinutes(m))).toMillis());
                    if (!server.isAlive()) {
                        throw new IOException("server died (exit " + server.exitValue() + "): see " + work.resolve("server.log"));
                    }
                    Map<String, Double> v = metrics.scrape();
                    Sample s = new Sample(m, ProcessSampler.rssBytes(server.pid()), v.get("vms_memory_heap_used_bytes"),
                            v.get("vms_memory_heap_committed_bytes"), v.get("vms_memory_direct_used_bytes"),
                            v.get("vms_memory_native_resident_bytes"), v.get("vms_camera_frames_lost_total"),
                            v.get("vms_frames_dropped_total"), v.get("vms_camera_reconnects_total"));
                    samples.add(s);
                    System.out.println(line(s));
                }
                t1 = Instant.now();
                Thread.sleep(2000); // frames of the window still queued reach their segment before the shutdown
                server.destroy();
                if (!server.waitFor(60, TimeUnit.SECONDS)) server.destroyForcibly();
            } finally {
                server.destroyForcibly();
            }
        } finally {
            sim.destroy();
            if (!sim.waitFor(10, TimeUnit.SECONDS)) sim.destroyForcibly();
        }
        // frames over the soak after its first minute (cameras still connecting during it)
        BenchSite.FrameCount frames = BenchSite.countFrames(storage, cameras, t0.plus(Duration.ofMinutes(1)), t1);
        String report = report(options, samples, frames);
        Path md = out.resolve("soak-" + stamp + ".md");
        Files.writeString(md, report);
        Files.writeString(out.resolve("soak-" + stamp + ".json"), new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(Map.of("cameras", cameras, "minutes", minutes, "preset", preset,
                        "serverJvmOptions", options, "samples", samples, "frames", frames)));
        System.out.println(report);
        System.out.println("written to " + md);
        try (var w = Files.walk(work)) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
        return 0;
    }

    /** The server's JVM options as it runs, from its command line (what bin/vms chose). */
    private static String jvmOptions(long pid) throws IOException {
        String[] args = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).split("\0");
        List<String> opts = new ArrayList<>();
        for (int i = 1; i < args.length && !args[i].equals("-jar"); i++) {
            if (args[i].startsWith("-X")) opts.add(args[i]);
        }
        return String.join(" ", opts);
    }

    private static String line(Sample s) {
        return String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.1f | %.0f | %.0f | %.0f | %.0f |", s.minute(),
                s.rssBytes() / 1e6, s.heapUsed() / 1e6, s.heapCommitted() / 1e6, s.directUsed() / 1e6,
                s.nativeResident() / 1e6, s.framesLost(), s.framesDropped(), s.reconnects());
    }

    private String report(String options, List<Sample> samples, BenchSite.FrameCount frames) {
        StringBuilder sb = new StringBuilder("# Soak benchmark\n\n");
        sb.append(String.format(Locale.ROOT, "Command: `bin/vms bench soak --cameras %d --minutes %d --preset %s%s`%n%n",
                cameras, minutes, preset, javaOpts == null ? "" : " --java-opts '" + javaOpts + "'"));
        sb.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(", Java ").append(System.getProperty("java.version")).append("\n\n");
        sb.append("Server JVM options (").append(javaOpts == null ? "bin/vms run's default" : "VMS_JAVA_OPTS")
                .append("): `").append(options).append("`\n\n");
        sb.append("| minute | RSS MB | heap used MB | heap committed MB | direct MB | native resident MB | frames lost (ingest) | frames dropped (queues) | reconnects |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        samples.forEach(s -> sb.append(line(s)).append('\n'));
        Sample end = samples.get(samples.size() - 1);
        Sample two = samples.get(1);
        sb.append(String.format(Locale.ROOT, "%nResident memory at the end: %.0f MB, %.2f MB per camera; %+.1f %% against minute 2 (%.0f MB).%n",
                end.rssBytes() / 1e6, end.rssBytes() / 1e6 / cameras, 100.0 * (end.rssBytes() - two.rssBytes()) / two.rssBytes(),
                two.rssBytes() / 1e6));
        sb.append(String.format(Locale.ROOT, "Frames recorded after the first minute: %d of %d expected (25 fps), %d lost.%n",
                frames.recorded(), frames.expected(), frames.lost()));
        return sb.toString();
    }

    /** The server's {@code /metrics}, read as the administrator (a bearer token from the login). */
    private static final class Metrics {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final URI base;
        private final String password;
        private String token;

        Metrics(int port, String password) {
            this.base = URI.create("http://127.0.0.1:" + port);
            this.password = password;
        }

        void awaitUp(Duration timeout, Process server) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try {
                    String body = new ObjectMapper().writeValueAsString(Map.of("username", "admin", "password", password));
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/login"))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        token = new ObjectMapper().readTree(r.body()).get("token").asText();
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("server did not answer a login within " + timeout);
                }
                Thread.sleep(500);
            }
        }

        /** Each metric summed over its label sets (per-camera counters added up). */
        Map<String, Double> scrape() throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IOException("/metrics answered " + r.statusCode());
            Map<String, Double> sums = new java.util.HashMap<>();
            for (String line : r.body().split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                int sp = line.lastIndexOf(' ');
                int brace = line.indexOf('{');
                String name = brace > 0 && brace < sp ? line.substring(0, brace) : line.substring(0, sp);
                sums.merge(name, Double.parseDouble(line.substring(sp + 1)), Double::sum);
            }
            for (String k : List.of("vms_memory_heap_used_bytes", "vms_memory_heap_committed_bytes",
                    "vms_memory_direct_used_bytes", "vms_memory_native_resident_bytes", "vms_camera_frames_lost_total",
                    "vms_frames_dropped_total", "vms_camera_reconnects_total")) {
                sums.putIfAbsent(k, Double.NaN);
            }
            return sums;
        }
    }
}
