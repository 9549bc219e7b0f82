package org.vigie.gst.ingest;

import org.vigie.ingest.ArrivalAnchoredWallClock;
import org.vigie.ingest.IngestCounters;
import org.vigie.ingest.IngestError;
import org.vigie.ingest.IngestOptions;
import org.vigie.ingest.IngestSession;
import org.vigie.ingest.Transport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;

/**
 * Not a test: compares the CPU cost of ingest variants side by side, in one JVM, against the same cameras. Each
 * round runs every variant in turn (N pipelines, a few seconds of warm-up, then a measured window of this JVM's
 * utime+stime from /proc), so slow drifts of the shared machine's load hit every variant alike. Run:
 * <pre>java -cp &lt;test classpath&gt; org.vigie.ingest.IngestBenchmark &lt;N&gt; &lt;seconds&gt; &lt;rounds&gt;
 *     &lt;url-pattern|gst&gt; &lt;first-camera&gt; &lt;variant&gt;...</pre>
 * Two variants can also run at the same time in two JVMs on disjoint cameras (first-camera 1 and N+1, same
 * start time): both then see the same machine load, which a shared machine's drift otherwise swamps.
 * {@code url-pattern} is a {@code String.format} pattern of the camera number (first..first+N-1), e.g.
 * {@code rtsp://127.0.0.1:18554/cam-%03d} for {@code vms simulate}; {@code gst} starts gst-rtsp-server.py here.
 * A variant is {@code base} (RtspIngestPipeline with its defaults, every frame into Java), {@code nojava} (the same
 * GStreamer chain ending in fakesink: the floor of GStreamer itself), or '+'-joined tweaks of base:
 * {@code noref} (no reference-timestamp meta), {@code udp}, or any {@code rtspsrc-property=value}.
 */
public final class IngestBenchmark {

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        String pattern = args[3];
        int firstCamera = Integer.parseInt(args[4]);
        List<String> variants = List.of(args).subList(5, args.length);
        GstRuntime.ensureInitialized();
        RtspTestServer server = pattern.equals("gst") ? RtspTestServer.start(0, firstCamera + n - 1) : null;
        String urlPattern = server != null ? "rtsp://127.0.0.1:" + server.port() + "/cam%d" : pattern;
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        try {
            for (int r = 1; r <= rounds; r++) {
                for (String v : variants) {
                    double[] m = measure(n, seconds, urlPattern, firstCamera, v);
                    results.computeIfAbsent(v, k -> new ArrayList<>()).add(m);
                    System.out.printf(Locale.ROOT, "round %d %-40s %.3f %%/stream  %.1f us CPU/frame  %.1f fps/stream"
                            + "  load %s%n", r, v, m[0], m[1], m[2], loadAverage());
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        System.out.println("variant | mean CPU %/stream | us CPU/frame | vs first");
        double first = Double.NaN;
        for (var e : results.entrySet()) {
            double cpu = e.getValue().stream().mapToDouble(a -> a[0]).average().orElse(Double.NaN);
            double us = e.getValue().stream().mapToDouble(a -> a[1]).average().orElse(Double.NaN);
            if (Double.isNaN(first)) {
                first = cpu;
            }
            System.out.printf(Locale.ROOT, "%s | %.3f | %.1f | %.2f%n", e.getKey(), cpu, us, cpu / first);
        }
        System.exit(0);
    }

    /** {CPU % of a core per stream, µs of CPU per frame, fps per stream} of one variant. */
    private static double[] measure(int n, int seconds, String urlPattern, int firstCamera, String variant)
            throws Exception {
        AtomicLong frames = new AtomicLong();
        FrameSink sink = new FrameSink() {
            @Override
            public void onFrame(Frame frame) {
                frames.incrementAndGet();
            }

            @Override
            public void onSessionEnd(long sessionId) {
            }
        };
        IngestSession.Events events = new IngestSession.Events() {
            @Override
            public void onFirstFrame(long sessionId) {
            }

            @Override
            public void onFailure(long sessionId, IngestError error) {
                System.err.println("failure " + sessionId + ": " + error.describe());
            }
        };
        List<RtspIngestPipeline> pipelines = new ArrayList<>();
        List<Pipeline> raw = new ArrayList<>();
        List<AtomicLong> rawFrames = new ArrayList<>();
        for (int i = firstCamera; i < firstCamera + n; i++) {
            String url = String.format(Locale.ROOT, urlPattern, i);
            if (variant.equals("nojava")) {
                Pipeline p = (Pipeline) Gst.parseLaunch("rtspsrc protocols=tcp latency=200 location=" + url
                        + " ! rtph264depay ! h264parse ! video/x-h264,stream-format=avc,alignment=au"
                        + " ! fakesink name=sink sync=false signal-handoffs=false");
                p.play();
                raw.add(p);
                continue;
            }
            IngestOptions o = IngestOptions.of(URI.create(url));
            for (String tweak : variant.split("\\+")) {
                if (tweak.equals("base")) {
                    continue;
                } else if (tweak.equals("noref")) {
                    o = o.withReferenceTimestamps(false);
                } else if (tweak.equals("udp")) {
                    o = o.withTransport(Transport.UDP);
                } else {
                    int eq = tweak.indexOf('=');
                    o = o.withSourceProperty(tweak.substring(0, eq), tweak.substring(eq + 1));
                }
            }
            RtspIngestPipeline p = new RtspIngestPipeline(StreamKey.main("cam" + i), i, o, sink, events,
                    InstantSource.system(), new ArrivalAnchoredWallClock(),
                    new IngestCounters(InstantSource.system(), 5));
            p.start();
            pipelines.add(p);
        }
        Thread.sleep(6_000); // connect and warm up: real time is the subject
        long f0 = frames.get();
        long j0 = cpuTicks("self");
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long j1 = cpuTicks("self");
        double wall = (System.nanoTime() - t0) / 1e9;
        long f1 = frames.get();
        for (RtspIngestPipeline p : pipelines) {
            p.stop();
        }
        for (Pipeline p : raw) {
            p.setState(State.NULL);
            p.dispose();
        }
        double cpuSeconds = (j1 - j0) / 100.0; // USER_HZ
        double fps = (f1 - f0) / wall / n;
        if (!raw.isEmpty()) {
            fps = 25.0; // fakesink: frames not counted; the clip is 25 fps
        }
        return new double[] {100.0 * cpuSeconds / wall / n, cpuSeconds * 1e6 / (fps * wall * n), fps};
    }

    private static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /** utime + stime in clock ticks of /proc/[pid]/stat. */
    static long cpuTicks(String pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
