package org.vigie.recorder.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.recorder.testing.SyntheticStream.SECOND;
import static org.vigie.recorder.testing.SyntheticStream.T0;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.Frame;
import org.vigie.media.VideoFormat;
import org.vigie.recorder.testing.SyntheticStream;

class StreamRecorderTest {

    @TempDir
    Path storage;

    private static final VideoFormat FORMAT = SyntheticStream.h264(640, 360);

    @Test
    void fragmentClosesOnTheFirstKeyFrameOnceItHoldsTheFragmentDuration() throws IOException {
        StreamFixture fx = new StreamFixture(storage); // 2 s fragments
        fx.feed(new SyntheticStream(FORMAT, 1, T0, 25, 25).take(250)).end(); // 10 s, GOP 1 s

        assertThat(fx.segments()).hasSize(1);
        List<IndexEntry> idx = fx.index(0);
        assertThat(idx).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(idx.get(i).sampleCount()).isEqualTo(50);
            assertThat(idx.get(i).durationMicros()).isEqualTo(2_000_000);
            assertThat(idx.get(i).wallMicros()).isEqualTo(T0 + i * 2 * SECOND);
            assertThat(idx.get(i).keyFrame()).isTrue();
        }
        assertThat(fx.counters.framesWritten.get()).isEqualTo(250);
        assertThat(StorageChecker.check(storage)).isEmpty();
    }

    @Test
    void aKeyFrameAFewTicksShortOfTheFragmentDurationStillClosesIt() throws IOException {
        StreamFixture fx = new StreamFixture(storage); // 2 s fragments
        List<Frame> frames = new java.util.ArrayList<>(new SyntheticStream(FORMAT, 1, T0, 25, 50).take(150));
        for (int i = 50; i < frames.size(); i += 50) { // smoothed timestamps: every GOP ends 20 ticks early
            Frame k = frames.get(i);
            frames.set(i, new Frame(k.format(), k.sessionId(), k.mediaTime90k() - 20, k.wallMicros(), true, k.data()));
        }
        fx.feed(frames).end();

        List<IndexEntry> idx = fx.index(0);
        assertThat(idx).extracting(IndexEntry::sampleCount).containsExactly(50, 50, 50);
        assertThat(StorageChecker.check(storage)).isEmpty();
    }

    @Test
    void longGopFragmentClosesUnconditionallyBeyondTwiceTheFragmentDuration() throws IOException {
        StreamFixture fx = new StreamFixture(storage);
        fx.feed(new SyntheticStream(FORMAT, 1, T0, 25, 250).take(250)).end(); // one 10 s GOP

        List<IndexEntry> idx = fx.index(0);
        assertThat(idx).extracting(IndexEntry::sampleCount).containsExactly(101, 101, 48);
        assertThat(idx).extracting(IndexEntry::keyFrame).containsExactly(true, false, false);
        assertThat(idx.get(0).durationMicros()).isEqualTo(4_040_000); // first frame beyond 4 s starts the next
        assertThat(StorageChecker.check(storage)).isEmpty();
    }

    @Test
    void aFragmentClosesBeforeAFrameBeyondItsSampleCapacityAndTheNextGetsTwiceTheFrames() throws IOException {
        StreamFixture fx = new StreamFixture(storage, Duration.ofSeconds(60), Duration.ofSeconds(20));
        fx.feed(new SyntheticStream(FORMAT, 1, T0, 25, 1000).take(1000)).end(); // one 40 s GOP, under 2 × 20 s

        List<IndexEntry> idx = fx.index(0);
        assertThat(StreamRecorder.INITIAL_CAPACITY).isEqualTo(256);
        assertThat(idx).extracting(IndexEntry::sampleCount).containsExactly(256, 512, 232);
        assertThat(idx).extracting(IndexEntry::keyFrame).containsExactly(true, false, false);
        assertThat(fx.counters.framesWritten.get()).isEqualTo(1000);
        assertThat(StorageChecker.check(storage)).isEmpty();
    }

    @Test
    void aFragmentsFramesReachTheSegmentFileAsTheWriterThreadDrainsThemBeforeTheFragmentCloses() throws Exception {
        RecorderConfig config = RecorderConfig.defaults(storage).withDurations(Duration.ofSeconds(60),
                Duration.ofSeconds(10));
        try (Recorder r = Recorder.open(config, StreamFixture.CLOCK)) {
            org.vigie.media.FrameSink sink = r.sink(StreamFixture.KEY);
            SyntheticStream g = new SyntheticStream(FORMAT, 1, T0, 25, 40);
            long payload = 0;
            for (int i = 0; i < 41; i++) { // 1.6 s of a 10 s fragment: it stays open; key frame 40 wakes the writer
                Frame f = g.next();
                payload += f.size();
                sink.onFrame(f);
            }
            Path dir = StorageLayout.streamDir(storage, StreamFixture.KEY);
            long expected = org.vigie.recorder.mp4.InitSegmentWriter.write(FORMAT).length
                    + org.vigie.recorder.mp4.FragmentWriter.reservedHeadLength(StreamRecorder.INITIAL_CAPACITY)
                    + payload;
            long deadline = System.nanoTime() + 10_000_000_000L;
            long length = 0;
            while (System.nanoTime() < deadline) {
                List<Path> mp4s = Files.isDirectory(dir) ? StorageLayout.segments(dir) : List.of();
                length = mp4s.isEmpty() ? 0 : Files.size(mp4s.get(0));
                if (length == expected) {
                    break;
                }
                Thread.sleep(5);
            }
            assertThat(length).as("segment file length once the writer drained 41 frames").isEqualTo(expected);
            assertThat(Files.size(StorageLayout.indexOf(StorageLayout.segments(dir).get(0)))).isZero();
            assertThat(r.catalog().segments(StreamFixture.KEY)).isEmpty(); // nothing published before it closes
        }
    }

    @Test
    void theRecorderHoldsNoFramesBytesOnceTheWriterThreadDrainedIt() throws Exception {
        RecorderConfig config = RecorderConfig.defaults(storage).withDurations(Duration.ofSeconds(60),
                Duration.ofSeconds(10));
        try (Recorder r = Recorder.open(config, StreamFixture.CLOCK)) {
            org.vigie.media.FrameSink sink = r.sink(StreamFixture.KEY);
            SyntheticStream g = new SyntheticStream(FORMAT, 1, T0, 25, 40);
            java.lang.ref.WeakReference<byte[]> written = feedAndForget(sink, g, 41, 20); // key frame 40 wakes it
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (written.get() != null && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(5);
            }
            assertThat(written.get()).as("bytes of frame 20 of the open fragment, after the drain").isNull();
        }
    }

    /** Feeds {@code n} frames and returns a weak reference to the bytes of frame {@code watched}. */
    private static java.lang.ref.WeakReference<byte[]> feedAndForget(org.vigie.media.FrameSink sink,
                                                                     SyntheticStream g, int n, int watched) {
        java.lang.ref.WeakReference<byte[]> ref = null;
        for (int i = 0; i < n; i++) {
            Frame f = g.next();
            if (i == watched) {
                ref = new java.lang.ref.WeakReference<>(f.data());
            }
            sink.onFrame(f);
        }
        return ref;
    }

    @Test
    void segmentRollsOnTheFirstKeyFrameAfterTheSegmentDuration() throws IOException {
        StreamFixture fx = new StreamFixture(storage, Duration.ofSeconds(10), Duration.ofSeconds(2));
        fx.feed(new SyntheticStream(FORMAT, 1, T0, 25, 75).take(750)).end(); // 30 s, GOP 3 s

        List<SegmentInfo> segs = fx.segments();
        assertThat(segs).extracting(s -> s.endMicros() - s.startMicros())
                .containsExactly(12 * SECOND, 12 * SECOND, 6 * SECOND); // key frames at 0, 3, ..., 12 s
        assertThat(segs.get(1).startMicros()).isEqualTo(segs.get(0).endMicros());
        assertThat(segs.get(0).segment().getFileName().toString()).isEqualTo(
                String.format("%020d.mp4", T0 / 1000));
        assertThat(fx.counters.segments.get()).isEqualTo(3);
        assertThat(StorageChecker.check(storage)).isEmpty();
    }

    @Test
    void framesBeforeTheFirstKeyFrameAreSkippedAndCounted() throws IOException {
        StreamFixture fx = new StreamFixture(storage);
        SyntheticStream s = new SyntheticStream(FORMAT, 1, T0, 25, 25);
        for (int i = 0; i < 10; i++) {
            fx.recorder.onFrame(s.next(false), false);
        }
        fx.recorder.onFrame(s.next(true), false);
        fx.feed(s.take(49)).end();
        assertThat(fx.counters.framesSkipped.get()).isEqualTo(10);
        assertThat(fx.counters.framesWritten.get()).isEqualTo(50);
        assertThat(fx.segments().get(0).startMicros()).isEqualTo(T0 + 10 * 40_000);
    }

    @Test
    void lastFrameOfASegmentReusesThePreviousFrameDuration() throws IOException {
        StreamFixture fx = new StreamFixture(storage);
        fx.feed(new SyntheticStream(FORMAT, 1, T0, 10, 10).take(5)).end(); // 100 ms frames
        assertThat(fx.index(0).get(0).durationMicros()).isEqualTo(500_000);
    }

    @Test
    void newSessionEndsTheSegmentAndWhatLiesBetweenIsAGap() throws IOException {
        StreamFixture fx = new StreamFixture(storage);
        fx.feed(new SyntheticStream(FORMAT, 1, T0, 25, 25).take(100));
        fx.feed(new SyntheticStream(FORMAT, 2, T0 + 10 * SECOND, 25, 25).take(100)).end();
        List<SegmentInfo> segs = fx.segments();
        assertThat(segs).hasSize(2);
        assertThat(segs.get(0).endMicros()).isEqualTo(T0 + 4 * SECOND);
        assertThat(segs.get(1).startMicros()).isEqualTo(T0 + 10 * SECOND);
    }

    @Test
    void wallTimeJumpForwardOrBackwardEndsTheSegment() throws IOException {
        StreamFixture fx = new StreamFixture(storage);
        SyntheticStream s = new SyntheticStream(FORMAT, 1, T0, 25, 25);
        fx.feed(s.take(50));
        s.skip(6 * SECOND); // > 5 s without frames in the same session
        fx.feed(s.take(50));
        assertThat(fx.segments()).hasSize(1); // the second is published with its first fragment

        List<Frame> back = new SyntheticStream(FORMAT, 1, T0 + 3 * SECOND, 25, 25).take(25);
        fx.feed(back).end(); // same session, wall time goes backwards: new segment, clamped after the previous
        List<SegmentInfo> segs = fx.segments();
        assertThat(segs).hasSize(3);
        assertThat(segs.get(2).startMicros()).isEqualTo(segs.get(1).endMicros());
        assertThat(StorageChecker.check(storage)).isEmpty();
    }

    @Test
    void formatChangeEndsTheSegment() throws IOException {
        StreamFixture fx = new StreamFixture(storage);
        SyntheticStream a = new SyntheticStream(FORMAT, 1, T0, 25, 25);
        fx.feed(a.take(50));
        fx.feed(new SyntheticStream(SyntheticStream.h264(1280, 720), 1, a.wallMicros(), 25, 25).take(50)).end();
        assertThat(fx.segments()).hasSize(2);
    }

    @Test
    void segmentThatWouldOverlapThePreviousStartsAtItsEnd() throws IOException {
        StreamFixture fx = new StreamFixture(storage);
        fx.feed(new SyntheticStream(FORMAT, 1, T0, 25, 25).take(100)); // ends at T0 + 4 s
        // a new session whose clock is 1.5 s behind: its frames claim [T0 + 2.5 s, ...)
        fx.feed(new SyntheticStream(FORMAT, 2, T0 + 2_500_000, 25, 25).take(100)).end();
        List<SegmentInfo> segs = fx.segments();
        assertThat(segs.get(1).startMicros()).isEqualTo(T0 + 4 * SECOND);
        assertThat(segs.get(1).endMicros()).isGreaterThanOrEqualTo(T0 + 8 * SECOND);
        assertThat(StorageLayout.nameMillis(segs.get(1).segment())).isEqualTo((T0 + 4 * SECOND) / 1000);
        assertThat(StorageChecker.check(storage)).isEmpty();
    }

    @Test
    void aSegmentNameAlreadyTakenMovesToTheNextMillisecond() throws IOException {
        StreamFixture fx = new StreamFixture(storage);
        // 1-frame sessions at 90 kHz 1-tick durations would be absurd; use a 1-frame session of 40 ms whose
        // successor claims the same millisecond because its clock is behind
        fx.feed(new SyntheticStream(FORMAT, 1, T0 + 999, 25, 25).take(1)).end();
        fx.feed(new SyntheticStream(FORMAT, 2, T0, 25, 25).take(1)).end();
        List<SegmentInfo> segs = fx.segments();
        assertThat(segs).hasSize(2);
        assertThat(segs.get(1).startMicros()).isEqualTo(T0 + 999 + 40_000);
        assertThat(StorageLayout.nameMillis(segs.get(1).segment())).isEqualTo(T0 / 1000 + 40);
        assertThat(Files.exists(segs.get(1).segment())).isTrue();
    }

    @Test
    void withoutFsyncTheSameFilesAreWritten() throws IOException {
        StreamFixture synced = new StreamFixture(storage.resolve("a"));
        synced.feed(new SyntheticStream(FORMAT, 1, T0, 25, 25).take(250)).end();
        RecorderConfig none = RecorderConfig.defaults(storage.resolve("b")).withFsync(FsyncPolicy.NONE);
        Catalog catalog = new Catalog();
        StreamRecorder r = new StreamRecorder(StreamFixture.KEY, none, catalog, StreamFixture.CLOCK,
                new StreamCounters());
        new SyntheticStream(FORMAT, 1, T0, 25, 25).take(250).forEach(f -> r.onFrame(f, false));
        r.onSessionEnd();
        Path a = synced.segments().get(0).segment();
        Path b = catalog.segments(StreamFixture.KEY).get(0).segment();
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
        assertThat(Files.readAllBytes(StorageLayout.indexOf(b))).isEqualTo(Files.readAllBytes(StorageLayout.indexOf(a)));
    }
}
