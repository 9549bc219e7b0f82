package org.vigie.ingest;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;

/**
 * Not a test: measures CPU per ingested stream, for N streams of gst-rtsp-server.py, by reading utime+stime of
 * this JVM and of the Python server from /proc over a window. Run:
 * {@code java -cp <test classpath> org.vigie.ingest.IngestBenchmark <N> <seconds> <variant>} with variant
 * {@code java} (RtspIngestPipeline, every frame into Java), {@code java-lat0} (latency 0), {@code udp},
 * {@code nojava} (same GStreamer chain ending in fakesink: no per-frame Java).
 */
public final class IngestBenchmark {

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        String variant = args[2];
        GstRuntime.ensureInitialized();
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
        RtspIngestPipeline.Events events = new RtspIngestPipeline.Events() {
            @Override
            public void onFirstFrame(long sessionId) {
            }

            @Override
            public void onFailure(long sessionId, IngestError error) {
                System.err.println("failure " + sessionId + ": " + error.describe());
            }
        };
        try (RtspTestServer server = RtspTestServer.start(0, n)) {
            List<RtspIngestPipeline> pipelines = new ArrayList<>();
            List<Pipeline> raw = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                IngestOptions o = IngestOptions.of(URI.create(server.url(i)));
                switch (variant) {
                    case "java-lat0" -> o = o.withLatency(Duration.ZERO);
                    case "udp" -> o = o.withTransport(Transport.UDP);
                    case "java-noref" -> o = o.withReferenceTimestamps(false);
                    default -> { }
                }
                if (variant.equals("nojava")) {
                    Pipeline p = (Pipeline) Gst.parseLaunch("rtspsrc protocols=tcp latency=200 location="
                            + server.url(i) + " ! rtph264depay ! h264parse ! "
                            + "video/x-h264,stream-format=avc,alignment=au ! fakesink sync=false");
                    p.play();
                    raw.add(p);
                } else {
                    RtspIngestPipeline p = new RtspIngestPipeline(StreamKey.main("cam" + i), i, o, sink, events,
                            InstantSource.system(), new ArrivalAnchoredWallClock(),
                            new IngestCounters(InstantSource.system(), 5));
                    p.start();
                    pipelines.add(p);
                }
            }
            Thread.sleep(5_000); // connect and warm up
            long f0 = frames.get();
            long j0 = cpuTicks("self");
            long s0 = cpuTicks(Long.toString(server.pid()));
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long j1 = cpuTicks("self");
            long s1 = cpuTicks(Long.toString(server.pid()));
            double wall = (System.nanoTime() - t0) / 1e9;
            long f1 = frames.get();
            double hz = 100.0; // USER_HZ
            double jvmPct = (j1 - j0) / hz / wall * 100;
            double srvPct = (s1 - s0) / hz / wall * 100;
            System.out.printf("variant=%s N=%d window=%.1fs frames=%d (%.1f fps/stream) JVM %.1f%% of a core "
                            + "(%.2f%%/stream, %s) server %.1f%% (%.2f%%/stream)%n",
                    variant, n, wall, f1 - f0, (f1 - f0) / wall / n, jvmPct, jvmPct / n,
                    f1 > f0 ? String.format("%.0f us CPU/frame", (j1 - j0) / hz * 1e6 / (f1 - f0)) : "n/a",
                    srvPct, srvPct / n);
            for (RtspIngestPipeline p : pipelines) {
                p.stop();
            }
            for (Pipeline p : raw) {
                p.setState(State.NULL);
                p.dispose();
            }
        }
        System.exit(0);
    }

    /** utime + stime in clock ticks of /proc/[pid]/stat. */
    static long cpuTicks(String pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
