package org.vigie.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.vigie.stream.StreamHub;
import org.vigie.stream.ViewerQueue;

/**
 * Per-frame cost of the fan-out on the ingest thread: one frame through a {@link StreamHub} to the recorder's sink
 * and N viewer queues, each drained as a viewer's event loop would. The ingest-side cost must stay far below the
 * per-frame cost of GStreamer's own path (tens of µs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StreamHubBenchmark {

    @Param({"0", "1", "4", "16"})
    public int viewers;

    private StreamHub hub;
    private final List<ViewerQueue> queues = new ArrayList<>();
    private Frame[] gop;
    private int next;

    @Setup
    public void setUp() {
        VideoFormat format = new VideoFormat(Codec.H264, 1280, 720, new byte[] {1, 0x4d, 0, 0x1f, -1});
        gop = new Frame[50];
        for (int i = 0; i < gop.length; i++) {
            gop[i] = new Frame(format, 1, i * 3600L, 1_000_000L + i * 40_000L, i == 0, new byte[8_700]);
        }
        hub = new StreamHub(StreamKey.main("bench"), new FrameSink() {
            @Override
            public void onFrame(Frame frame) {
            }

            @Override
            public void onSessionEnd(long sessionId) {
            }
        });
        for (int i = 0; i < viewers; i++) {
            queues.add(hub.subscribe(256, () -> { }));
        }
    }

    @Benchmark
    public void frameToRecorderAndViewers(Blackhole bh) {
        hub.onFrame(gop[next]);
        next = (next + 1) % gop.length;
        for (ViewerQueue q : queues) {
            bh.consume(q.poll());
        }
    }
}
