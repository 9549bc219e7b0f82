package org.vigie.recorder.storage;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.vigie.media.Frame;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.vigie.recorder.mp4.SegmentScanner;
import org.vigie.recorder.testing.SyntheticStream;

/**
 * A JMH-free measurement, not a test: writes {@code streams} synthetic 2 Mbit/s 25 fps streams for {@code seconds}
 * of media on one thread (as one writer thread would), then scans every segment (recovery's cost) and reads one
 * stream back. Usage: {@code WriteThroughputProbe <dir> <streams> <seconds> <FRAGMENT|NONE>}.
 */
public final class WriteThroughputProbe {

    private WriteThroughputProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int streams = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        FsyncPolicy fsync = FsyncPolicy.valueOf(args[3]);
        RecorderConfig config = RecorderConfig.defaults(dir).withFsync(fsync)
                .withDurations(Duration.ofSeconds(60), Duration.ofSeconds(2));
        Catalog catalog = new Catalog();
        VideoFormat format = SyntheticStream.h264(1280, 720);
        List<StreamRecorder> recorders = new ArrayList<>();
        List<SyntheticStream> sources = new ArrayList<>();
        List<StreamCounters> counters = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            StreamCounters c = new StreamCounters();
            counters.add(c);
            recorders.add(new StreamRecorder(StreamKey.main("cam-" + i), config, catalog, InstantSource.system(), c));
            sources.add(new SyntheticStream(format, 1, SyntheticStream.T0, 25, 50));
        }
        byte[] key = new byte[50_000];
        byte[] delta = new byte[8_400]; // about 2 Mbit/s with a 2 s GOP
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long user0 = mx.getCurrentThreadUserTime();
        long t0 = System.nanoTime();
        long frames = 0;
        for (int f = 0; f < seconds * 25; f++) {
            for (int s = 0; s < streams; s++) {
                Frame meta = sources.get(s).next();
                byte[] data = (meta.keyFrame() ? key : delta).clone();
                java.nio.ByteBuffer.wrap(data).putInt(data.length - 4);
                recorders.get(s).onFrame(new Frame(format, 1, meta.mediaTime90k(), meta.wallMicros(), meta.keyFrame(),
                        data), false);
                frames++;
            }
        }
        recorders.forEach(StreamRecorder::close);
        long wallNs = System.nanoTime() - t0;
        long cpuNs = mx.getCurrentThreadCpuTime() - cpu0;
        long userNs = mx.getCurrentThreadUserTime() - user0;
        long bytes = counters.stream().mapToLong(c -> c.bytesWritten.get()).sum();
        long fragments = counters.stream().mapToLong(c -> c.fragments.get()).sum();
        System.out.printf("write: %d streams x %d s, fsync=%s: %d frames, %d fragments, %.1f MB in %.2f s wall, "
                        + "%.2f s CPU (%.2f s user) -> %.0f frames/s, %.1f MB/s, %.1f us CPU/frame (%.1f us user), "
                        + "%.2f ms wall/fragment%n",
                streams, seconds, fsync, frames, fragments, bytes / 1e6, wallNs / 1e9, cpuNs / 1e9, userNs / 1e9,
                frames / (wallNs / 1e9), bytes / 1e6 / (wallNs / 1e9), cpuNs / 1e3 / frames, userNs / 1e3 / frames,
                wallNs / 1e6 / fragments);

        long s0 = System.nanoTime();
        int scanned = 0;
        int scannedFragments = 0;
        for (StreamKey k : catalog.streams()) {
            for (SegmentInfo seg : catalog.segments(k)) {
                try (FileChannel ch = FileChannel.open(seg.segment(), StandardOpenOption.READ)) {
                    scannedFragments += SegmentScanner.scan(ch).fragments().size();
                }
                scanned++;
            }
        }
        long scanNs = System.nanoTime() - s0;
        System.out.printf("scan (recovery/check cost): %d segments, %d fragments in %.3f s -> %.2f ms/segment%n",
                scanned, scannedFragments, scanNs / 1e9, scanNs / 1e6 / scanned);

        long r0 = System.nanoTime();
        long read = 0;
        long readBytes = 0;
        try (FrameCursor c = new ArchiveReader(catalog).framesFrom(StreamKey.main("cam-0"),
                TimeIndex.instant(SyntheticStream.T0))) {
            while (c.hasNext()) {
                readBytes += c.next().size();
                read++;
            }
        }
        long readNs = System.nanoTime() - r0;
        System.out.printf("read back cam-0: %d frames, %.1f MB in %.3f s -> %.0f frames/s%n", read, readBytes / 1e6,
                readNs / 1e9, read / (readNs / 1e9));
        System.out.printf("disk used: %.1f MB%n", Files.walk(dir).filter(Files::isRegularFile)
                .mapToLong(p -> p.toFile().length()).sum() / 1e6);
    }
}
