package org.vigie.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.vigie.media.StreamKey;
import org.vigie.recorder.testing.SyntheticArchive;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.StorageLayout;
import org.vigie.server.VmsServer;
import org.vigie.server.config.VmsConfig;
import org.vigie.playback.export.ExportSink;
import org.vigie.playback.export.Mp4Export;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vms bench playback}: archive seek time and export throughput of a real {@link VmsServer} over a synthetic
 * archive written with the recorder's own segment writer ({@link SyntheticArchive}): camera {@code month} holds
 * {@code --days} days of 60 s segments of 2 s fragments (25 fps, tiny pictures: the index is what is measured),
 * camera {@code export} holds {@code --export-minutes} of 2 Mbit/s video. Measures:
 * <ul>
 *   <li>seek, core: key frame lookup + export plan + first 64 KiB of an export at a random time, in process;</li>
 *   <li>seek, HTTP: time to the first body byte of {@code GET export.mp4} at a random time over 127.0.0.1 (new
 *       connection, bearer check, plan, audit record in SQLite with synchronous=FULL, first bytes);</li>
 *   <li>export throughput: {@code GET export.mp4} of the whole long window read to the end over 127.0.0.1, MB/s
 *       (files in the page cache: this measures the server, not the disk).</li>
 * </ul>
 * Results go to {@code <out>/playback-<stamp>.md} and {@code .json}. The archive is written in {@code --work}
 * (replaced at each run: its times follow the clock, ending a minute ago, so that retention keeps it).
 */
@Command(name = "playback", mixinStandardHelpOptions = true,
        description = "Archive seek time (p50/p99, core and HTTP) over a month of index and export throughput (MB/s).")
public final class PlaybackBench implements Callable<Integer> {

    static final String ADMIN_PASSWORD = "bench-admin-password";

    @Option(names = "--days", defaultValue = "30", description = "Days of index for the seek test (default ${DEFAULT-VALUE}).")
    int days;
    @Option(names = "--seeks", defaultValue = "500", description = "Random seeks measured (default ${DEFAULT-VALUE}).")
    int seeks;
    @Option(names = "--export-minutes", defaultValue = "20", description = "Minutes of 2 Mbit/s video exported (default ${DEFAULT-VALUE}).")
    int exportMinutes;
    @Option(names = "--runs", defaultValue = "3", description = "Export runs (default ${DEFAULT-VALUE}).")
    int runs;
    @Option(names = "--work", defaultValue = "var/bench-playback", description = "Where the synthetic archive is kept.")
    Path work;
    @Option(names = "--out", defaultValue = "bench-results")
    Path out;

    /** One percentile summary, ms. */
    record Stats(int n, double p50, double p95, double p99, double max) {
        static Stats of(long[] nanos) {
            long[] s = nanos.clone();
            Arrays.sort(s);
            return new Stats(s.length, ms(s, 0.50), ms(s, 0.95), ms(s, 0.99), s[s.length - 1] / 1e6);
        }

        private static double ms(long[] sorted, double q) {
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
        }
    }

    @Override
    public Integer call() throws Exception {
        Path storage = work.toAbsolutePath().resolve("storage");
        // recent, so that retention (at most 30 days by law) keeps it: the archive ends a minute ago
        Instant end = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minusSeconds(60);
        Instant monthStart = end.minus(Duration.ofDays(days));
        Instant exportStart = end.minus(Duration.ofMinutes(exportMinutes));
        String params = "days=" + days + " export-minutes=" + exportMinutes + " end=" + end + " v1";
        Path stamp = work.resolve("archive.params");
        long genNanos = 0;
        int segments = 0;
        if (!Files.exists(stamp) || !Files.readString(stamp).equals(params)) {
            deleteTree(work);
            Files.createDirectories(storage);
            long t0 = System.nanoTime();
            segments = SyntheticArchive.write(storage, StreamKey.main("month"), monthStart, Duration.ofDays(days),
                    new SyntheticArchive.Shape(25, 50, 50, 30, 6), SyntheticArchive.FORMAT);
            // 2 Mbit/s: 53 frame units per 2 s GOP (key frames count 4) = 500 KB
            SyntheticArchive.write(storage, StreamKey.main("export"), exportStart, Duration.ofMinutes(exportMinutes),
                    new SyntheticArchive.Shape(25, 50, 50, 30, 500_000 / 53), SyntheticArchive.FORMAT);
            genNanos = System.nanoTime() - t0;
            Files.createFile(storage.resolve(StorageLayout.CLEAN_SHUTDOWN_MARKER));
            Files.writeString(stamp, params);
            System.out.printf(Locale.ROOT, "wrote %d segments of index in %.1f s%n", segments, genNanos / 1e9);
        } else if (!Files.exists(storage.resolve(StorageLayout.CLEAN_SHUTDOWN_MARKER))) {
            Files.createFile(storage.resolve(StorageLayout.CLEAN_SHUTDOWN_MARKER));
        }
        VmsConfig config = VmsConfig.parse("""
                storage: { path: '%s', segment-duration: 60s }
                server: { http-port: 0, rtsp-port: 0, bind-address: 127.0.0.1 }
                auth: { admin-password: '%s', argon2-memory-kib: 8, argon2-iterations: 1 }
                cameras:
                  - { id: month, url: 'rtsp://127.0.0.1:9/none', enabled: false }
                  - { id: export, url: 'rtsp://127.0.0.1:9/none', enabled: false }
                """.formatted(storage, ADMIN_PASSWORD));
        long startNanos = System.nanoTime();
        VmsServer server = VmsServer.start(config, InstantSource.system());
        double startSeconds = (System.nanoTime() - startNanos) / 1e9;
        try {
            ArchiveReader archive = server.recorder().archive();
            int indexed = server.recorder().catalog().segments(StreamKey.main("month")).size();
            String token = login(server.httpPort());
            Random random = new Random(42);
            // from an hour after the start (retention may be removing the first minutes meanwhile) to a minute before the end
        long span = Duration.between(monthStart, end).toMillis() - 3_660_000;
            // warm-up: class loading, JIT, SQLite
            for (int i = 0; i < 50; i++) {
                Instant t = monthStart.plusMillis(3_600_000 + (long) (random.nextDouble() * span));
                coreSeek(archive, t);
                httpFirstByte(server.httpPort(), token, "month", t, t.plusSeconds(10));
            }
            long[] core = new long[seeks];
            long[] http = new long[seeks];
            for (int i = 0; i < seeks; i++) {
                Instant t = monthStart.plusMillis(3_600_000 + (long) (random.nextDouble() * span));
                core[i] = coreSeek(archive, t);
                http[i] = httpFirstByte(server.httpPort(), token, "month", t, t.plusSeconds(10));
            }
            Stats coreStats = Stats.of(core);
            Stats httpStats = Stats.of(http);
            List<double[]> exports = new ArrayList<>(); // {bytes, seconds}
            for (int i = 0; i < runs + 1; i++) {
                double[] r = httpExport(server.httpPort(), token, "export", exportStart, end);
                if (i > 0) exports.add(r); // the first run warms the page cache and the JIT
            }
            double[] mbps = exports.stream().mapToDouble(r -> r[0] / 1e6 / r[1]).sorted().toArray();
            return report(indexed, segments, genNanos, startSeconds, coreStats, httpStats, exports.get(0)[0], mbps);
        } finally {
            server.close();
        }
    }

    private int report(int indexed, int written, long genNanos, double startSeconds, Stats core, Stats http,
                       double exportBytes, double[] mbps) throws IOException {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Files.createDirectories(out);
        double median = mbps[mbps.length / 2];
        StringBuilder md = new StringBuilder();
        md.append("# Playback benchmark ").append(stamp).append("\n\n");
        md.append(String.format(Locale.ROOT, "Machine: %d cores, Java %s. Archive: %d days of 60 s segments (%d segments, "
                        + "%d fragments of 2 s indexed) for the seeks%s; server start with that catalog %.1f s.%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), days, indexed,
                indexed * 30L, written > 0 ? String.format(Locale.ROOT, ", written in %.1f s", genNanos / 1e9) : " (reused)",
                startSeconds));
        md.append("| measure | n | p50 | p95 | p99 | max | target |\n|---|---|---|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| archive seek, core (lookup + plan + first 64 KiB) | %d | %.2f ms | %.2f ms | %.2f ms | %.2f ms | |%n",
                core.n(), core.p50(), core.p95(), core.p99(), core.max()));
        md.append(String.format(Locale.ROOT, "| archive seek, HTTP time to first byte (connect, auth, plan, audit, send) | %d | %.2f ms | %.2f ms | %.2f ms | %.2f ms | p99 < 100 ms: %s |%n",
                http.n(), http.p50(), http.p95(), http.p99(), http.max(), http.p99() < 100 ? "met" : "NOT met"));
        md.append(String.format(Locale.ROOT, "%nExport throughput over HTTP on 127.0.0.1 (%.0f MB, %d min of 2 Mbit/s, "
                        + "page cache warm, zero-copy file regions): median %.0f MB/s, runs %s MB/s; target >= 200 MB/s: %s.%n",
                exportBytes / 1e6, exportMinutes, median, Arrays.toString(Arrays.stream(mbps).map(Math::rint).toArray()),
                median >= 200 ? "met" : "NOT met"));
        Path mdFile = out.resolve("playback-" + stamp + ".md");
        Files.writeString(mdFile, md.toString());
        String json = String.format(Locale.ROOT, "{%n  \"days\": %d,%n  \"segmentsIndexed\": %d,%n  \"seekCoreMs\": {\"p50\": %.3f, \"p95\": %.3f, \"p99\": %.3f, \"max\": %.3f},%n"
                        + "  \"seekHttpFirstByteMs\": {\"p50\": %.3f, \"p95\": %.3f, \"p99\": %.3f, \"max\": %.3f},%n"
                        + "  \"exportBytes\": %.0f,%n  \"exportMBps\": %s%n}%n", days, indexed, core.p50(), core.p95(),
                core.p99(), core.max(), http.p50(), http.p95(), http.p99(), http.max(), exportBytes, Arrays.toString(mbps));
        Files.writeString(out.resolve("playback-" + stamp + ".json"), json);
        System.out.println(md);
        System.out.println("written to " + mdFile);
        return 0;
    }

    /** Key frame lookup, plan and the first 64 KiB of an export, in process. */
    static long coreSeek(ArchiveReader archive, Instant t) throws IOException {
        long t0 = System.nanoTime();
        Mp4Export e = Mp4Export.plan(archive, StreamKey.main("month"), t, t.plusSeconds(10)).orElseThrow();
        long[] n = {0};
        e.write(0, Math.min(e.length(), 64 * 1024), new ExportSink() {
            @Override
            public void bytes(byte[] b, int offset, int length) {
                n[0] += length;
            }

            @Override
            public void file(Path file, long position, long length) throws IOException {
                try (var ch = java.nio.channels.FileChannel.open(file)) {
                    n[0] += ch.read(java.nio.ByteBuffer.allocate((int) length), position);
                }
            }
        });
        if (n[0] == 0) throw new IllegalStateException("nothing exported at " + t);
        return System.nanoTime() - t0;
    }

    /** Time from connecting to the first byte of the body of an export, nanoseconds; the body is read to the end. */
    static long httpFirstByte(int port, String token, String camera, Instant from, Instant to) throws IOException {
        long t0 = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            InputStream in = request(s, token, camera, from, to);
            long length = readHead(in);
            if (in.read() < 0) throw new IOException("empty body");
            long first = System.nanoTime() - t0;
            in.skipNBytes(length - 1);
            return first;
        }
    }

    /** {bytes, seconds} of a whole export read to the end. */
    static double[] httpExport(int port, String token, String camera, Instant from, Instant to) throws IOException {
        long t0 = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setReceiveBufferSize(4 << 20);
            InputStream in = request(s, token, camera, from, to);
            long length = readHead(in);
            byte[] buf = new byte[1 << 20];
            long got = 0;
            while (got < length) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, length - got));
                if (n < 0) throw new IOException("short body: " + got + " of " + length);
                got += n;
            }
            return new double[] {got, (System.nanoTime() - t0) / 1e9};
        }
    }

    private static InputStream request(Socket s, String token, String camera, Instant from, Instant to)
            throws IOException {
        String req = "GET /api/v1/cameras/" + camera + "/export.mp4?from=" + from + "&to=" + to + "&reason="
                + URLEncoder.encode("benchmark", StandardCharsets.UTF_8) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + token + "\r\nConnection: close\r\n\r\n";
        OutputStream o = s.getOutputStream();
        o.write(req.getBytes(StandardCharsets.US_ASCII));
        o.flush();
        return s.getInputStream();
    }

    /** Reads the status line and headers; returns the Content-Length. */
    private static long readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) break;
        }
        String h = head.toString();
        if (!h.startsWith("HTTP/1.1 200")) throw new IOException("export refused: " + h.lines().findFirst().orElse(h));
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        throw new IOException("no Content-Length");
    }

    private static String login(int port) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var res = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                        + "/api/v1/auth/login")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\""
                        + ADMIN_PASSWORD + "\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) throw new IOException("login failed: " + res.body());
        String b = res.body();
        int i = b.indexOf("\"token\"");
        int q1 = b.indexOf('"', b.indexOf(':', i) + 1);
        return b.substring(q1 + 1, b.indexOf('"', q1 + 1));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
