package org.vigie.recorder.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.recorder.testing.SyntheticStream.SECOND;
import static org.vigie.recorder.testing.SyntheticStream.T0;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.Frame;
import org.vigie.media.VideoFormat;
import org.vigie.recorder.mp4.SegmentScan;
import org.vigie.recorder.mp4.SegmentScanner;
import org.vigie.recorder.testing.SyntheticStream;

class ArchiveReaderTest {

    @TempDir
    Path storage;

    private static final VideoFormat FORMAT = SyntheticStream.h264(640, 360);

    private static Instant at(long micros) {
        return TimeIndex.instant(micros);
    }

    /** Session 1: [T0, T0+20 s) in two 10 s segments; session 2: [T0+30 s, T0+40 s). */
    private StreamFixture twoSessions() {
        StreamFixture fx = new StreamFixture(storage, Duration.ofSeconds(10), Duration.ofSeconds(2));
        fx.feed(new SyntheticStream(FORMAT, 1, T0, 25, 25).take(500)).end();
        fx.feed(new SyntheticStream(FORMAT, 2, T0 + 30 * SECOND, 25, 25).take(250)).end();
        return fx;
    }

    @Test
    void spansMergeAdjacentSegmentsAndGapsAreTheComplementAcrossASessionChange() {
        StreamFixture fx = twoSessions();
        ArchiveReader reader = new ArchiveReader(fx.catalog);
        assertThat(fx.segments()).hasSize(3);

        assertThat(reader.spans(StreamFixture.KEY, at(T0 - SECOND), at(T0 + 60 * SECOND))).containsExactly(
                new TimeSpan(at(T0), at(T0 + 20 * SECOND)),
                new TimeSpan(at(T0 + 30 * SECOND), at(T0 + 40 * SECOND)));
        assertThat(reader.gaps(StreamFixture.KEY, at(T0 - SECOND), at(T0 + 60 * SECOND))).containsExactly(
                new TimeSpan(at(T0 - SECOND), at(T0)),
                new TimeSpan(at(T0 + 20 * SECOND), at(T0 + 30 * SECOND)),
                new TimeSpan(at(T0 + 40 * SECOND), at(T0 + 60 * SECOND)));
        // clipped to the window
        assertThat(reader.spans(StreamFixture.KEY, at(T0 + 5 * SECOND), at(T0 + 35 * SECOND))).containsExactly(
                new TimeSpan(at(T0 + 5 * SECOND), at(T0 + 20 * SECOND)),
                new TimeSpan(at(T0 + 30 * SECOND), at(T0 + 35 * SECOND)));
        assertThat(reader.gaps(StreamFixture.KEY, at(T0 + 2 * SECOND), at(T0 + 3 * SECOND))).isEmpty();
    }

    @Test
    void segmentsWithinTheToleranceAreOneSpan() {
        StreamFixture fx = new StreamFixture(storage);
        fx.feed(new SyntheticStream(FORMAT, 1, T0, 25, 25).take(100)).end();
        fx.feed(new SyntheticStream(FORMAT, 2, T0 + 4 * SECOND + 800_000, 25, 25).take(100)).end();
        ArchiveReader reader = new ArchiveReader(fx.catalog);
        assertThat(reader.spans(StreamFixture.KEY, at(T0), at(T0 + 60 * SECOND)))
                .containsExactly(new TimeSpan(at(T0), at(T0 + 8 * SECOND + 800_000)));
        assertThat(new ArchiveReader(fx.catalog, Duration.ofMillis(500))
                .spans(StreamFixture.KEY, at(T0), at(T0 + 60 * SECOND))).hasSize(2);
    }

    @Test
    void keyFrameAtOrBeforeFindsTheFragmentStartingWithAKeyFrame() throws IOException {
        StreamFixture fx = twoSessions();
        ArchiveReader reader = new ArchiveReader(fx.catalog);
        FragmentRef r = reader.keyFrameAtOrBefore(StreamFixture.KEY, at(T0 + 13 * SECOND + 500_000)).orElseThrow();
        assertThat(r.wallMicros()).isEqualTo(T0 + 12 * SECOND);
        assertThat(r.segment()).isEqualTo(fx.segments().get(1).segment());
        assertThat(r.keyFrame()).isTrue();
        // in a gap: the last key frame before it
        assertThat(reader.keyFrameAtOrBefore(StreamFixture.KEY, at(T0 + 25 * SECOND)).orElseThrow().wallMicros())
                .isEqualTo(T0 + 18 * SECOND);
        assertThat(reader.keyFrameAtOrBefore(StreamFixture.KEY, at(T0 - 1))).isEmpty();
    }

    @Test
    void keyFrameAtOrBeforeSkipsFragmentsThatStartWithoutAKeyFrame() throws IOException {
        StreamFixture fx = new StreamFixture(storage);
        fx.feed(new SyntheticStream(FORMAT, 1, T0, 25, 250).take(250)).end(); // 10 s GOP: fragments 2, 3 non-key
        FragmentRef r = new ArchiveReader(fx.catalog).keyFrameAtOrBefore(StreamFixture.KEY, at(T0 + 9 * SECOND))
                .orElseThrow();
        assertThat(r.wallMicros()).isEqualTo(T0);
    }

    @Test
    void framesFromReadsInOrderAcrossASegmentBoundary() throws IOException {
        StreamFixture fx = twoSessions();
        ArchiveReader reader = new ArchiveReader(fx.catalog);
        List<Frame> frames = new ArrayList<>();
        try (FrameCursor c = reader.framesFrom(StreamFixture.KEY, at(T0 + 9 * SECOND + 100_000))) {
            c.forEachRemaining(frames::add);
        }
        // from the key frame at 8 s of session 1 to the end of session 2
        assertThat(frames).hasSize(300 + 250);
        assertThat(frames.get(0).keyFrame()).isTrue();
        assertThat(frames.get(0).wallMicros()).isEqualTo(T0 + 8 * SECOND);
        assertThat(frames.get(0).format()).isEqualTo(FORMAT);
        for (int i = 0; i < 300; i++) {
            assertThat(SyntheticStream.frameNumber(frames.get(i).data())).isEqualTo(200 + i);
            assertThat(frames.get(i).wallMicros()).isEqualTo(T0 + (200 + i) * 40_000L);
            assertThat(frames.get(i).keyFrame()).isEqualTo(i % 25 == 0);
        }
        assertThat(SyntheticStream.frameNumber(frames.get(300).data())).isZero();
        assertThat(frames.get(300).wallMicros()).isEqualTo(T0 + 30 * SECOND);
        assertThat(frames.get(49).sessionId()).isNotEqualTo(frames.get(50).sessionId()); // segment boundary at 10 s
    }

    @Test
    void framesFromFollowsTheOpenSegmentUpToItsLastPublishedFragment() throws IOException {
        StreamFixture fx = new StreamFixture(storage);
        SyntheticStream s = new SyntheticStream(FORMAT, 1, T0, 25, 25);
        fx.feed(s.take(60)); // 2 s published, 10 frames pending in memory
        ArchiveReader reader = new ArchiveReader(fx.catalog);
        try (FrameCursor c = reader.framesFrom(StreamFixture.KEY, at(T0))) {
            int n = 0;
            while (c.hasNext()) {
                c.next();
                n++;
            }
            assertThat(n).isEqualTo(50);
            fx.feed(s.take(41)); // the key frame at 4 s (frame 100) closes the second fragment
            while (c.hasNext()) {
                c.next();
                n++;
            }
            assertThat(n).isEqualTo(100);
        }
        fx.end();
    }

    @Test
    void initSegmentAndFragmentByteRangesMakeAPlayableFile() throws Exception {
        StreamFixture fx = twoSessions();
        ArchiveReader reader = new ArchiveReader(fx.catalog);
        List<FragmentRef> refs = reader.fragments(StreamFixture.KEY, at(T0 + 3 * SECOND), at(T0 + 7 * SECOND));
        assertThat(refs).extracting(FragmentRef::wallMicros).containsExactly(T0 + 2 * SECOND, T0 + 4 * SECOND,
                T0 + 6 * SECOND);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(reader.initSegment(refs.get(0).segment()));
        byte[] whole = Files.readAllBytes(refs.get(0).segment());
        for (FragmentRef r : refs) {
            out.write(whole, (int) r.position(), (int) r.length());
        }
        Path export = storage.resolve("export.mp4");
        Files.write(export, out.toByteArray());
        try (FileChannel ch = FileChannel.open(export, StandardOpenOption.READ)) {
            SegmentScan scan = SegmentScanner.scan(ch);
            assertThat(scan.clean()).isTrue();
            assertThat(scan.fragments()).hasSize(3);
            assertThat(scan.format()).isEqualTo(FORMAT);
        }
        assertThat(reader.initSegmentLength(refs.get(0).segment()))
                .isEqualTo(reader.fragments(fx.segments().get(0)).get(0).position());
    }
}
