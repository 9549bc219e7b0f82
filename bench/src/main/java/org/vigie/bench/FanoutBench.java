package org.vigie.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.vigie.ingest.CameraState;
import org.vigie.media.Frame;
import org.vigie.media.StreamKey;
import org.vigie.server.VmsServer;
import org.vigie.server.camera.Camera;
import org.vigie.server.config.VmsConfig;
import org.vigie.playback.ws.StreamEndpoint;
import org.vigie.stream.StreamHub;
import org.vigie.stream.ViewerQueue;
import org.vigie.testing.FreePort;

/**
 * The fan-out load harness ({@code vms bench fanout}): for each scenario "C cameras x V viewers each", the Vigie
 * server runs in this process, pulling C simulated 720p25 cameras (a simulator child process), and V live WebSocket
 * viewers per camera connect to {@code /api/v1/stream}, one connection each, on the JDK's WebSocket client (also in
 * this process, on threads of its own).
 *
 * <p>Measured per scenario, in one run and side by side:
 * <ul>
 *   <li>CPU per ingested stream: the server's CPU over the window with no viewer, divided by C;</li>
 *   <li>CPU per viewer: the server's extra CPU over the same window length with the viewers, divided by C x V;</li>
 *   <li>server-added live latency: from the frame's arrival in the camera's hub to the completion of its write to
 *       the viewer's socket, p50 / p99 / max over every frame of every viewer in the window.</li>
 * </ul>
 * The server's CPU is the process's CPU ({@code /proc/self/stat}) less the client threads' ({@code
 * /proc/self/task/<tid>/stat} of the threads named {@value #CLIENT_THREAD} and {@code HttpClient-*}). The arrival
 * time is stamped by a probe subscriber added to each hub before the viewers: the hub offers each frame to it
 * first, on the ingest thread. Writes {@code fanout-<time>.md} and {@code .json} into the output folder.
 */
public final class FanoutBench {

    static final String CLIENT_THREAD = "bench-viewer";

    /** One scenario's figures. */
    public record Result(int cameras, int viewersPerCamera, double seconds, double cpuPercentPerStream,
                         double cpuPercentPerViewer, double viewerToStreamRatio, double clientCpuPercentPerViewer,
                         double latencyP50Ms, double latencyP99Ms, double latencyMaxMs, long latencySamples,
                         double framesPerViewerPerSecond, long framesDropped) {
    }

    private final List<int[]> scenarios;
    private final Duration window;
    private final Duration warmup;
    private final Path out;
    private final String preset;

    public FanoutBench(List<int[]> scenarios, Duration window, Duration warmup, Path out, String preset) {
        this.scenarios = scenarios;
        this.window = window;
        this.warmup = warmup;
        this.out = out;
        this.preset = preset;
    }

    public Path run() throws Exception {
        Files.createDirectories(out);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        int maxCameras = scenarios.stream().mapToInt(s -> s[0]).max().orElse(1);
        int simPort = FreePort.pick();
        List<Result> results = new ArrayList<>();
        Process sim = BenchSite.startSimulator(maxCameras, simPort, preset);
        try {
            for (int[] s : scenarios) {
                results.add(measure(s[0], s[1], simPort));
            }
        } finally {
            sim.destroy();
            sim.waitFor(10, TimeUnit.SECONDS);
            sim.destroyForcibly();
        }
        Path md = out.resolve("fanout-" + stamp + ".md");
        Files.writeString(md, report(results));
        Files.writeString(out.resolve("fanout-" + stamp + ".json"), new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results));
        return md;
    }

    private Result measure(int cameras, int viewersPerCamera, int simPort) throws Exception {
        Path work = Files.createTempDirectory("vms-fanout-");
        StringBuilder cams = new StringBuilder();
        for (int i = 1; i <= cameras; i++) {
            cams.append("  - { id: cam-").append(i).append(", url: 'rtsp://127.0.0.1:").append(simPort)
                    .append('/').append(org.vigie.simulator.CameraSimulator.cameraId(i)).append("' }\n");
        }
        String password = "fanout-bench-pw";
        VmsConfig config = VmsConfig.parse("""
                storage: { path: '%s', segment-duration: 60s }
                server: { http-port: 0, rtsp-port: 0, bind-address: 127.0.0.1 }
                auth: { admin-password: '%s', argon2-memory-kib: 8, argon2-iterations: 1 }
                cameras:
                %s""".formatted(work.resolve("storage"), password, cams));
        ExecutorService clientThreads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, CLIENT_THREAD);
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().executor(clientThreads).build();
        List<WebSocket> sockets = new ArrayList<>();
        try (VmsServer server = VmsServer.start(config, InstantSource.system())) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!server.cameras().list().stream().allMatch(c -> c.state() == CameraState.STREAMING)) {
                if (System.nanoTime() > deadline) throw new IOException("cameras did not all stream within 2 min");
                Thread.sleep(200);
            }
            Arrivals arrivals = new Arrivals();
            for (Camera c : server.cameras().list()) arrivals.probe(c.hub(StreamKey.MAIN));
            Thread.sleep(warmup.toMillis());

            double ingestCpu = serverCpuOver(window);

            String token = login(http, server.httpPort(), password);
            Latencies latencies = new Latencies();
            server.playback().streams().observe((key, frame, nanos) -> {
                long at = arrivals.arrival(key, frame);
                if (at != 0) latencies.add(nanos - at);
            });
            AtomicLong frames = new AtomicLong();
            URI ws = URI.create("ws://127.0.0.1:" + server.httpPort() + StreamEndpoint.PATH);
            for (int cam = 1; cam <= cameras; cam++) {
                for (int v = 0; v < viewersPerCamera; v++) {
                    WebSocket s = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                            .subprotocols("vigie.stream.v1").buildAsync(ws, new CountingViewer(frames))
                            .get(30, TimeUnit.SECONDS);
                    s.sendText("{\"op\":\"open\",\"channel\":1,\"camera\":\"cam-" + cam + "\",\"mode\":\"live\"}", true);
                    sockets.add(s);
                }
            }
            Thread.sleep(Math.max(3_000, warmup.toMillis() / 2));
            latencies.reset();
            long framesBefore = frames.get();
            double clientBefore = clientCpu();
            double fanoutCpu = serverCpuOver(window);
            double clientCpu = clientCpu() - clientBefore;
            long delivered = frames.get() - framesBefore;
            long dropped = server.playback().streams().stats().stream().mapToLong(StreamEndpoint.ChannelStats::framesDropped).sum();
            int viewers = cameras * viewersPerCamera;
            double secs = window.toNanos() / 1e9;
            double perStream = 100 * ingestCpu / secs / cameras;
            double perViewer = 100 * (fanoutCpu - ingestCpu) / secs / viewers;
            long[] lat = latencies.sorted();
            return new Result(cameras, viewersPerCamera, secs, perStream, perViewer, perViewer / perStream,
                    100 * clientCpu / secs / viewers, pct(lat, 0.50), pct(lat, 0.99),
                    lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6, lat.length, delivered / secs / viewers, dropped);
        } finally {
            sockets.forEach(WebSocket::abort);
            clientThreads.shutdownNow();
        }
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }

    private static String login(HttpClient http, int port, String password) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("login failed: " + r.statusCode());
        return new ObjectMapper().readTree(r.body()).path("token").asText();
    }

    /** The server's CPU seconds over a window: the process's less the client threads'. */
    private static double serverCpuOver(Duration window) throws Exception {
        long self = ProcessHandle.current().pid();
        double p0 = ProcessSampler.cpuSeconds(self);
        double c0 = clientCpu();
        Thread.sleep(window.toMillis());
        double p1 = ProcessSampler.cpuSeconds(self);
        double c1 = clientCpu();
        return (p1 - p0) - (c1 - c0);
    }

    /** CPU seconds of the live client threads of this process. */
    static double clientCpu() throws IOException {
        double s = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String comm = Files.readString(t.resolve("comm")).strip();
                    if (!comm.startsWith(CLIENT_THREAD) && !comm.startsWith("HttpClient")) continue;
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    s += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) ProcessSampler.USER_HZ;
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return s;
    }

    /** A viewer that reads everything and counts media fragments. */
    private static final class CountingViewer implements WebSocket.Listener {
        private final AtomicLong frames;

        CountingViewer(AtomicLong frames) {
            this.frames = frames;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (last) frames.incrementAndGet();
            webSocket.request(1);
            return null;
        }
    }

    /**
     * Arrival times of frames in the hubs, stamped on the ingest thread by a probe subscriber that drains its own
     * queue inside the hub's callback. A ring of recent frames per stream, looked up by identity.
     */
    static final class Arrivals {
        private static final int RING = 512;
        private final Map<StreamKey, Ring> rings = new HashMap<>();

        void probe(StreamHub hub) {
            Ring ring = new Ring();
            rings.put(hub.key(), ring);
            ViewerQueue[] q = new ViewerQueue[1];
            Runnable drain = () -> {
                ViewerQueue queue = q[0];
                if (queue == null) return;
                long now = System.nanoTime();
                for (Frame f = queue.poll(); f != null; f = queue.poll()) ring.put(f, now);
            };
            q[0] = hub.subscribe(RING, drain);
            drain.run();
        }

        long arrival(StreamKey key, Frame f) {
            Ring r = rings.get(key);
            return r == null ? 0 : r.get(f);
        }

        static final class Ring {
            private final Frame[] frames = new Frame[RING];
            private final long[] times = new long[RING];
            private int next;

            synchronized void put(Frame f, long t) {
                frames[next] = f;
                times[next] = t;
                next = (next + 1) % RING;
            }

            synchronized long get(Frame f) {
                for (int i = 1; i <= RING; i++) {
                    int k = (next - i + RING) % RING;
                    if (frames[k] == f) return times[k];
                }
                return 0;
            }
        }
    }

    /** Latency samples in ns. */
    static final class Latencies {
        private long[] v = new long[1 << 16];
        private int n;

        synchronized void add(long ns) {
            if (n == v.length) v = Arrays.copyOf(v, n * 2);
            v[n++] = ns;
        }

        synchronized void reset() {
            n = 0;
        }

        synchronized long[] sorted() {
            long[] s = Arrays.copyOf(v, n);
            Arrays.sort(s);
            return s;
        }
    }

    private String report(List<Result> results) {
        StringBuilder b = new StringBuilder();
        b.append("# Fan-out benchmark (vms bench fanout)\n\n");
        b.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores; preset ")
                .append(preset).append("; window ").append(window.toSeconds()).append(" s per phase after ")
                .append(warmup.toSeconds()).append(" s warm-up. Server and viewers in one JVM, CPU split by thread; ")
                .append("simulator in a child process (not counted).\n\n");
        b.append("| cameras x viewers | CPU % per ingested stream | CPU % per viewer | viewer / stream | ")
                .append("client CPU % per viewer | latency p50 ms | p99 ms | max ms | samples | fps per viewer | drops |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "| %d x %d | %.3f | %.4f | %.3f | %.3f | %.2f | %.2f | %.2f | %d | %.1f | %d |%n",
                    r.cameras(), r.viewersPerCamera(), r.cpuPercentPerStream(), r.cpuPercentPerViewer(),
                    r.viewerToStreamRatio(), r.clientCpuPercentPerViewer(), r.latencyP50Ms(), r.latencyP99Ms(),
                    r.latencyMaxMs(), r.latencySamples(), r.framesPerViewerPerSecond(), r.framesDropped()));
        }
        b.append("\nTargets: live added latency p99 < 50 ms; CPU per viewer < 1/10 of CPU per ingested stream ")
                .append("(viewer / stream < 0.1).\n");
        return b.toString();
    }

    /** Parses "1x100,50x4". */
    public static List<int[]> scenarios(String spec) {
        List<int[]> out = new ArrayList<>();
        for (String s : spec.split(",")) {
            String[] p = s.trim().split("x");
            out.add(new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])});
        }
        return out;
    }
}
