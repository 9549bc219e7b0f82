package org.vigie.recorder.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigie.recorder.testing.SyntheticStream.T0;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.recorder.testing.SyntheticStream;

class RecorderTest {

    @TempDir
    Path storage;

    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void framesOfSeveralStreamsAreWrittenByTheWriterThreadsAndShutdownIsClean() throws IOException {
        RecorderConfig config = RecorderConfig.defaults(storage);
        StreamKey a = StreamKey.main("cam-a");
        StreamKey b = new StreamKey("cam-b", StreamKey.SUB);
        try (Recorder r = Recorder.open(config, CLOCK)) {
            assertThat(r.recoveryReport().skipped()).isFalse();
            FrameSink sa = r.sink(a);
            FrameSink sb = r.sink(b);
            SyntheticStream ga = new SyntheticStream(SyntheticStream.h264(640, 360), 1, T0, 25, 25);
            SyntheticStream gb = new SyntheticStream(SyntheticStream.h264(320, 180), 7, T0, 25, 50);
            for (int i = 0; i < 250; i++) {
                sa.onFrame(ga.next());
                sb.onFrame(gb.next());
            }
            sa.onSessionEnd(1);
        }
        assertThat(Files.exists(storage.resolve(StorageLayout.CLEAN_SHUTDOWN_MARKER))).isTrue();
        assertThat(StorageChecker.check(storage)).isEmpty();

        try (Recorder r = Recorder.open(config, CLOCK)) {
            assertThat(r.recoveryReport().skipped()).isTrue();
            assertThat(Files.exists(storage.resolve(StorageLayout.CLEAN_SHUTDOWN_MARKER))).isFalse();
            long framesA = r.catalog().segments(a).stream().mapToLong(s -> s.endMicros() - s.startMicros()).sum();
            long framesB = r.catalog().segments(b).stream().mapToLong(s -> s.endMicros() - s.startMicros()).sum();
            // a 256-frame queue per stream holds all 250 frames: nothing can be dropped, all 10 s are stored
            assertThat(framesA + framesB).isEqualTo(2 * 250 * 40_000L);
        }
    }

    /** An injected clock that blocks the writer thread (which reads it after each fragment) until released. */
    private static final class StallingClock implements InstantSource {
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Instant instant() {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CLOCK.instant();
        }
    }

    private Recorder stalledRecorder(StallingClock clock, FrameSink[] sink, SyntheticStream g) throws Exception {
        RecorderConfig config = RecorderConfig.defaults(storage).withQueue(1, 32)
                .withDurations(Duration.ofSeconds(60), Duration.ofSeconds(1));
        Recorder r = Recorder.open(config, clock);
        sink[0] = r.sink(SLOW);
        for (int i = 0; i < 26; i++) {
            sink[0].onFrame(g.next()); // fits in the queue; the key frame at 1 s closes the first fragment
        }
        assertThat(clock.blocked.await(10, TimeUnit.SECONDS)).isTrue(); // the writer is stuck after it
        return r;
    }

    private static final StreamKey SLOW = StreamKey.main("cam-slow");

    @Test
    void aFullQueueDropsAndCountsFramesUntilTheNextKeyFrameWithoutBlocking() throws Exception {
        StallingClock clock = new StallingClock();
        SyntheticStream g = new SyntheticStream(SyntheticStream.h264(640, 360), 1, T0, 25, 25);
        FrameSink[] sink = new FrameSink[1];
        Recorder r = stalledRecorder(clock, sink, g);
        long t0 = System.nanoTime();
        for (int i = 26; i < 100; i++) {
            sink[0].onFrame(g.next()); // 32 fit; the rest is dropped, including the key frame at 75 (still full)
        }
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(1)); // never blocked
        StreamStats during = r.stats(SLOW).orElseThrow();
        assertThat(during.framesDropped()).isEqualTo(74 - 32);
        assertThat(during.queued()).isEqualTo(32);
        clock.release.countDown();
        r.close();

        StreamStats after = r.stats(SLOW).orElseThrow();
        assertThat(after.framesWritten()).isEqualTo(26 + 32);
        assertThat(after.fragments()).isEqualTo(3); // 0-24, 25-49, 50-57
        assertThat(after.framesDropped()).isEqualTo(42);
        assertThat(StorageChecker.check(storage)).isEmpty();
        assertThatThrownBy(() -> r.sink(SLOW)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void queuesAreBoundedInBytesNotOnlyInFrames() throws Exception {
        // Issue 17: at 300 cameras, 256 queued frames per stream filled the heap and the JVM crashed. A writer
        // stalls; 1 MiB frames arrive into a queue of 10,000 frames: the stream holds at most its byte bound, the
        // rest is dropped to the next key frame and counted as one overload.
        StallingClock clock = new StallingClock();
        SyntheticStream g = new SyntheticStream(SyntheticStream.h264(640, 360), 1, T0, 25, 25);
        RecorderConfig config = RecorderConfig.defaults(storage).withQueue(1, 10_000)
                .withDurations(Duration.ofSeconds(60), Duration.ofSeconds(1));
        Recorder r = Recorder.open(config, clock);
        FrameSink sink = r.sink(SLOW);
        for (int i = 0; i < 26; i++) {
            sink.onFrame(g.next());
        }
        assertThat(clock.blocked.await(10, TimeUnit.SECONDS)).isTrue(); // the writer is stuck
        for (int i = 26; i < 100; i++) {
            org.vigie.media.Frame f = g.next();
            sink.onFrame(new org.vigie.media.Frame(f.format(), f.sessionId(), f.mediaTime90k(), f.wallMicros(),
                    f.keyFrame(), java.util.Arrays.copyOf(f.data(), 1 << 20)));
        }
        StreamStats during = r.stats(SLOW).orElseThrow();
        assertThat((long) during.queued() << 20).as("bytes queued for one stream")
                .isLessThanOrEqualTo(StreamQueue.MAX_STREAM_BYTES);
        assertThat(during.queuedBytes()).isLessThanOrEqualTo(StreamQueue.MAX_STREAM_BYTES)
                .isEqualTo(r.queueBudget().used());
        assertThat(during.framesDropped()).isEqualTo(74 - during.queued());
        assertThat(during.overloads()).isEqualTo(1);
        assertThat(during.overloaded()).isTrue();
        assertThat(r.overloadedStreams()).isEqualTo(1);
        clock.release.countDown();
        r.close();
        assertThat(r.queueBudget().used()).as("every queued byte released once written").isZero();
    }

    @Test
    void keyFrameAfterDropsStartsANewSegment() throws Exception {
        StallingClock clock = new StallingClock();
        SyntheticStream g = new SyntheticStream(SyntheticStream.h264(640, 360), 1, T0, 25, 25);
        FrameSink[] sink = new FrameSink[1];
        Recorder r = stalledRecorder(clock, sink, g);
        for (int i = 26; i < 75; i++) {
            sink[0].onFrame(g.next()); // 26..57 queued, 58..74 dropped
        }
        clock.release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (r.stats(SLOW).orElseThrow().queued() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(2); // real time is the subject: the writer thread drains the queue
        }
        for (int i = 75; i < 100; i++) {
            sink[0].onFrame(g.next()); // the key frame at 75 starts a new segment
        }
        r.close();
        assertThat(r.stats(SLOW).orElseThrow().framesDropped()).isEqualTo(17);
        Catalog catalog = Catalog.load(storage);
        var segs = catalog.segments(SLOW);
        assertThat(segs).hasSize(2);
        assertThat(segs.get(0).endMicros()).isEqualTo(T0 + 58 * 40_000L);
        assertThat(segs.get(1).startMicros()).isEqualTo(T0 + 75 * 40_000L);
        // 680 ms: under the default 1 s merge tolerance, so ask for exact spans
        assertThat(new ArchiveReader(catalog, Duration.ZERO).gaps(SLOW, TimeIndex.instant(T0), TimeIndex.instant(T0 + 4_000_000)))
                .containsExactly(new TimeSpan(TimeIndex.instant(T0 + 58 * 40_000L),
                        TimeIndex.instant(T0 + 75 * 40_000L)));
    }

    @Test
    void sessionEndSignalledWhileTheQueueIsFullStillFlushesTheSegment() throws Exception {
        StallingClock clock = new StallingClock();
        SyntheticStream g = new SyntheticStream(SyntheticStream.h264(640, 360), 1, T0, 25, 25);
        FrameSink[] sink = new FrameSink[1];
        Recorder r = stalledRecorder(clock, sink, g);
        for (int i = 26; i < 58; i++) {
            sink[0].onFrame(g.next()); // fills the queue (32)
        }
        sink[0].onSessionEnd(1); // no room for the marker
        clock.release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (r.stats(SLOW).orElseThrow().framesWritten() < 58 && System.nanoTime() < deadline) {
            Thread.sleep(2); // real time is the subject: the writer thread drains the queue
        }
        // written before any shutdown: the camera may never come back
        assertThat(r.stats(SLOW).orElseThrow().framesWritten()).isEqualTo(58);
        assertThat(r.catalog().last(SLOW).orElseThrow().endMicros()).isEqualTo(T0 + 58 * 40_000L);
        r.close();
    }

    @Test
    void theWriterThreadIsWokenPerBatchOfFramesNotPerFrame() throws Exception {
        // Waking the writer for each frame cost a futex wake and a context switch per frame (half the server's CPU
        // at 50 cameras). A key frame wakes it; the frames between key frames wait for a batch or the session end.
        RecorderConfig config = RecorderConfig.defaults(storage);
        SyntheticStream g = new SyntheticStream(SyntheticStream.h264(640, 360), 1, T0, 25, 25);
        try (Recorder r = Recorder.open(config, CLOCK)) {
            StreamQueue q = (StreamQueue) r.sink(SLOW);
            int frames = StreamQueue.WAKE_FRAMES; // a key frame, then one frame fewer than a batch
            for (int i = 0; i < frames; i++) {
                q.onFrame(g.next());
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                while (q.depth() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(1); // real time is the subject: give the writer every chance to drain
                }
            }
            assertThat(q.wakes()).as("writer wakes for %d frames", frames).isEqualTo(1);
            // the writer may have taken a few along with the key frame, never all
            assertThat(q.depth()).as("frames waiting for a batch").isBetween(1, frames - 1);
            q.onSessionEnd(1); // the session's end wakes the writer: nothing is left behind
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (r.stats(SLOW).orElseThrow().framesWritten() < frames && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertThat(r.stats(SLOW).orElseThrow().framesWritten()).isEqualTo(frames);
            assertThat(q.wakes()).isEqualTo(2);
        }
    }

    @Test
    void uncleanStopIsRecoveredAtTheNextStart() throws IOException {
        RecorderConfig config = RecorderConfig.defaults(storage);
        StreamKey key = StreamFixture.KEY;
        StreamFixture fx = new StreamFixture(storage);
        fx.feed(new SyntheticStream(SyntheticStream.h264(640, 360), 1, T0, 25, 25).take(200)).end();
        Path tail = fx.segments().get(0).segment();
        Files.write(tail, new byte[] {0, 0, 0, 42, 'm', 'o', 'o', 'f'}, java.nio.file.StandardOpenOption.APPEND);
        try (Recorder r = Recorder.open(config, CLOCK)) {
            assertThat(r.recoveryReport().skipped()).isFalse();
            assertThat(r.recoveryReport().bytesTruncated()).isEqualTo(8);
            assertThat(r.recoveryReport().fragmentsKept()).isEqualTo(4);
            assertThat(r.catalog().segments(key)).hasSize(1);
        }
        assertThat(StorageChecker.check(storage)).isEmpty();
    }

    @Test
    void configurationIsValidated() {
        RecorderConfig ok = RecorderConfig.defaults(storage);
        assertThat(ok.fsync()).isEqualTo(FsyncPolicy.FRAGMENT);
        assertThat(ok.writerThreads()).isEqualTo(2);
        assertThatThrownBy(() -> ok.withQueue(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withQueue(2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withDurations(Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withDurations(Duration.ofSeconds(60), Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
