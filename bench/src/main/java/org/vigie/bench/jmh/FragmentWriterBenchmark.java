package org.vigie.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vigie.recorder.mp4.FragmentWriter;
import org.vigie.recorder.mp4.Sample;

/**
 * Cost of muxing one 2 s fragment of a 720p25 2 Mbit/s stream (50 samples, one key frame of 60 KB, 49 of ~8.7 KB):
 * the recorder does this once per fragment per stream, the live WebSocket path once per fragment per viewer.
 * Divide by 50 for the cost per frame.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FragmentWriterBenchmark {

    private List<Sample> samples;

    @Setup
    public void setUp() {
        Random r = new Random(1);
        samples = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] data = new byte[i == 0 ? 60_000 : 8_700];
            r.nextBytes(data);
            samples.add(new Sample(data, 3600, i == 0));
        }
    }

    @Benchmark
    public byte[] twoSecondFragment() {
        return FragmentWriter.write(7, 1_795_645_607_681_000L, 90_000L * 3600, samples);
    }
}
