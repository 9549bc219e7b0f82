package org.vigie.server.memory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.config.IngestConfig;
import org.vigie.ingest.IngestEngines;

/**
 * The load of the streams a server records, estimated against what this process has: the CPU the ingest engines
 * were measured to cost per stream, and the heap {@link JvmOptions}'s rule asks for. A server told to record more than
 * it can degrades (issue 17: frames dropped to the next key frame, counted), but an operator must hear it before it
 * happens: the server says so at start and whenever a camera is added or changed.
 *
 * <p>The costs per stream (a 2 Mbit/s, 25 fps H.264 stream) come from {@code bin/vms bench ingest --cameras 50}
 * (docs/performance.md): {@value #JAVA_CORE_PER_STREAM} of a core for the Java RTSP client (rounds measured 0.00302 and
 * 0.00237), {@value #GSTREAMER_CORE_PER_STREAM} for the GStreamer engine (0.00962 and 0.00844): the larger round of
 * each. The ingest may use {@value #CPU_BUDGET} of the cores; the rest goes to playback, export and the API.
 *
 * @param javaStreams      streams the Java RTSP client records
 * @param gstreamerStreams streams GStreamer records (RTP over UDP, or {@code engine: gstreamer})
 * @param processors       the cores the JVM may use
 * @param heapMaxMb        the heap the JVM may grow to
 */
public record CapacityEstimate(int javaStreams, int gstreamerStreams, int processors, long heapMaxMb) {

    static final double JAVA_CORE_PER_STREAM = 0.0031;
    static final double GSTREAMER_CORE_PER_STREAM = 0.0097;
    static final double CPU_BUDGET = 0.9;
    /**
     * The JVM's maximum heap as {@link Runtime#maxMemory()} tells it is below {@code -Xmx} with the serial collector
     * (one survivor space left out: 587 MB for {@code -Xmx608m}); a heap sized by the rule must not be reported short.
     */
    static final double HEAP_TOLERANCE = 0.95;

    public CapacityEstimate {
        if (javaStreams < 0 || gstreamerStreams < 0 || processors < 1 || heapMaxMb < 1) {
            throw new IllegalArgumentException("streams >= 0, processors and heap >= 1");
        }
    }

    /** The estimate for these cameras (enabled ones, each stream they record) in this JVM. */
    public static CapacityEstimate of(Collection<CameraConfig> cameras, IngestConfig ingest) {
        Runtime rt = Runtime.getRuntime();
        return of(cameras, ingest, rt.availableProcessors(), rt.maxMemory() >> 20);
    }

    static CapacityEstimate of(Collection<CameraConfig> cameras, IngestConfig ingest, int processors, long heapMaxMb) {
        int java = 0;
        int gst = 0;
        for (CameraConfig c : cameras) {
            if (!c.enabled() || c.url() == null) {
                continue;
            }
            int streams = c.recordSub() && c.subUrl() != null ? 2 : 1;
            if (recordedByJava(c, ingest)) {
                java += streams;
            } else {
                gst += streams;
            }
        }
        return new CapacityEstimate(java, gst, processors, heapMaxMb);
    }

    /** The engine choice of {@link IngestEngines} before any fallback: Java unless GStreamer is asked or UDP is. */
    private static boolean recordedByJava(CameraConfig c, IngestConfig ingest) {
        IngestEngines.Choice choice = c.engine() != null ? c.engine() : ingest.engine();
        IngestConfig.Transport transport = c.transport() != null ? c.transport() : ingest.transport();
        return switch (choice) {
            case JAVA -> true;
            case GSTREAMER -> false;
            case AUTO -> !("rtsp".equalsIgnoreCase(c.url().getScheme()) && transport == IngestConfig.Transport.UDP);
        };
    }

    public int streams() {
        return javaStreams + gstreamerStreams;
    }

    /** Cores the ingest is estimated to take. */
    public double cores() {
        return javaStreams * JAVA_CORE_PER_STREAM + gstreamerStreams * GSTREAMER_CORE_PER_STREAM;
    }

    /** The estimated ingest load over what it may use: above 1, frames will be dropped. */
    public double cpuRatio() {
        return cores() / (CPU_BUDGET * processors);
    }

    public int heapNeededMb() {
        return JvmOptions.heapMbFor(streams());
    }

    /** The ingest is estimated to need more CPU than this server gives it. */
    public boolean cpuShort() {
        return cpuRatio() > 1;
    }

    /** The heap is below what the sizing rule asks for these streams. */
    public boolean heapShort() {
        return heapMaxMb < heapNeededMb() * HEAP_TOLERANCE;
    }

    /** What exceeds the capacity, one sentence each; empty when the load fits. */
    public List<String> shortfalls() {
        List<String> out = new ArrayList<>();
        if (cpuShort()) {
            out.add(String.format(Locale.ROOT, "%d stream(s) (%d by the Java client, %d by GStreamer) need about %.2f "
                            + "core(s) for ingest, more than the %.2f this server gives it (%d core(s) x %.1f): frames "
                            + "will be dropped; move cameras to another server or record fewer streams",
                    streams(), javaStreams, gstreamerStreams, cores(), CPU_BUDGET * processors, processors,
                    CPU_BUDGET));
        }
        if (heapShort()) {
            out.add(String.format(Locale.ROOT, "%d stream(s) need a heap of %d MB (docs/install.md's rule), the JVM has "
                            + "%d MB: frames will be dropped; restart with bin/vms run (it sizes the heap from the "
                            + "cameras) or raise server.heap", streams(), heapNeededMb(), heapMaxMb));
        }
        return out;
    }
}
