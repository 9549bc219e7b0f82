package org.vigie.playback.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.Codec;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.vigie.recorder.mp4.FragmentInfo;
import org.vigie.recorder.mp4.SegmentScan;
import org.vigie.recorder.mp4.SegmentScanner;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.testing.SyntheticArchive;

class Mp4ExportTest {

    static final StreamKey KEY = StreamKey.main("cam-1");
    /** 25 fps, GOP 1 s, fragments of 2 s (two GOPs), segments of 10 s. */
    static final SyntheticArchive.Shape SHAPE = new SyntheticArchive.Shape(25, 25, 50, 5, 200);
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path storage;

    ArchiveReader archive() throws IOException {
        return new ArchiveReader(Catalog.load(storage));
    }

    /** 30 s recorded, a 5 s gap, 20 s more. */
    void record() throws IOException {
        SyntheticArchive.write(storage, KEY, T0, Duration.ofSeconds(30), SHAPE, SyntheticArchive.FORMAT);
        SyntheticArchive.write(storage, KEY, T0.plusSeconds(35), Duration.ofSeconds(20), SHAPE, SyntheticArchive.FORMAT);
    }

    static byte[] bytes(Mp4Export e, long from, long to) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        e.write(from, to, new ExportSink() {
            @Override
            public void bytes(byte[] b, int offset, int length) {
                out.write(b, offset, length);
            }

            @Override
            public void file(Path file, long position, long length) throws IOException {
                try (FileChannel ch = FileChannel.open(file)) {
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) length);
                    while (buf.hasRemaining()) ch.read(buf, position + buf.position());
                    out.write(buf.array(), 0, (int) length);
                }
            }
        });
        return out.toByteArray();
    }

    SegmentScan scan(byte[] file) throws IOException {
        Path p = storage.resolve("out.mp4");
        Files.write(p, file);
        try (FileChannel ch = FileChannel.open(p)) {
            return SegmentScanner.scan(ch);
        }
    }

    @Test
    void exportsAValidFileFromTheKeyFrameAtOrBeforeFromToJustBeforeToAcrossSegmentsAndAGap() throws IOException {
        record();
        Instant from = T0.plusSeconds(7).plusMillis(500); // mid-GOP, in the second GOP of a fragment
        Instant to = T0.plusSeconds(45).plusMillis(300); // mid-fragment, after the gap
        Mp4Export e = Mp4Export.plan(archive(), KEY, from, to).orElseThrow();
        byte[] file = bytes(e, 0, e.length());
        assertThat(file).hasSize((int) e.length());
        assertThat(e.start()).isEqualTo(T0.plusSeconds(7)); // the key frame at or before from
        assertThat(e.end()).isEqualTo(T0.plusSeconds(45).plusMillis(320)); // the frame at 45.28 s ends at 45.32 s
        SegmentScan s = scan(file);
        assertThat(s.problem()).isNull();
        assertThat(s.format()).isEqualTo(SyntheticArchive.FORMAT);
        List<FragmentInfo> f = s.fragments();
        long expectedTfdt = 0;
        for (int i = 0; i < f.size(); i++) {
            assertThat(f.get(i).sequence()).isEqualTo(i + 1);
            assertThat(f.get(i).baseMediaTime90k()).as("tfdt of fragment %d", i).isEqualTo(expectedTfdt);
            expectedTfdt += f.get(i).durationTicks();
        }
        assertThat(f.get(0).startsWithKeyFrame()).isTrue();
        assertThat(f.get(0).wallMicros()).as("prft keeps the wall time").isEqualTo(Mp4Export.micros(T0.plusSeconds(7)));
        long frames = f.stream().mapToLong(x -> x.samples().size()).sum();
        assertThat(frames).as("23 s before the gap, 10.32 s after, at 25 fps").isEqualTo(575 + 258);
        assertThat(e.durationSeconds()).isEqualTo(frames / 25.0);
        assertThat(f.get(f.size() - 1).wallMicros() + f.get(f.size() - 1).durationTicks() * 100 / 9)
                .isEqualTo(Mp4Export.micros(e.end()));
    }

    @Test
    void anyRangeOfTheFileIsExactlyThoseBytesOfTheWholeFile() throws IOException {
        record();
        Mp4Export e = Mp4Export.plan(archive(), KEY, T0.plusSeconds(3), T0.plusSeconds(21)).orElseThrow();
        byte[] whole = bytes(e, 0, e.length());
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 200; i++) {
            long a = r.nextInt((int) e.length());
            long b = a + r.nextInt((int) (e.length() - a) + 1);
            assertThat(bytes(e, a, b)).as("[%d, %d)", a, b).isEqualTo(java.util.Arrays.copyOfRange(whole, (int) a, (int) b));
        }
    }

    @Test
    void theInitSegmentDeclaresTheDuration() throws IOException {
        record();
        Mp4Export e = Mp4Export.plan(archive(), KEY, T0.plusSeconds(2), T0.plusSeconds(12)).orElseThrow();
        byte[] file = bytes(e, 0, e.length());
        int mehd = Mp4Boxes.find(file, 0, file.length, "moov", "mvex", "mehd");
        assertThat(mehd).isPositive();
        assertThat(Mp4Boxes.u32(file, mehd + 12)).isEqualTo(10 * 90_000L);
        int mvhd = Mp4Boxes.find(file, 0, file.length, "moov", "mvhd");
        assertThat(Mp4Boxes.u32(file, mvhd + 24)).isEqualTo(10 * 90_000L);
    }

    @Test
    void stopsAtAChangeOfPictureFormatAndFindsNothingWhereNothingIsRecorded() throws IOException {
        SyntheticArchive.write(storage, KEY, T0, Duration.ofSeconds(10), SHAPE, SyntheticArchive.FORMAT);
        VideoFormat other = new VideoFormat(Codec.H264, 640, 360, new byte[] {1, 0x4d, 0x00, 0x1e, (byte) 0xff,
                (byte) 0xe1, 0, 4, 0x67, 0x4d, 0x00, 0x1e, 1, 0, 4, 0x68, (byte) 0xee, 0x3c, (byte) 0x80});
        SyntheticArchive.write(storage, KEY, T0.plusSeconds(10), Duration.ofSeconds(10), SHAPE, other);
        Mp4Export e = Mp4Export.plan(archive(), KEY, T0, T0.plusSeconds(20)).orElseThrow();
        assertThat(e.cutAtFormatChange()).isTrue();
        assertThat(e.end()).isEqualTo(T0.plusSeconds(10));
        assertThat(scan(bytes(e, 0, e.length())).problem()).isNull();
        assertThat(Mp4Export.plan(archive(), KEY, T0.minusSeconds(100), T0.minusSeconds(50))).isEmpty();
        assertThat(Mp4Export.plan(archive(), StreamKey.main("other"), T0, T0.plusSeconds(5))).isEmpty();
    }

    @Test
    void aWindowInsideOneFragmentIsCutAtBothEnds() throws IOException {
        record();
        Mp4Export e = Mp4Export.plan(archive(), KEY, T0.plusMillis(1500), T0.plusMillis(1700)).orElseThrow();
        SegmentScan s = scan(bytes(e, 0, e.length()));
        assertThat(s.fragments()).hasSize(1);
        assertThat(s.fragments().get(0).samples()).hasSize(18); // from the key frame at 1.0 s to the frame at 1.68 s
        assertThat(e.start()).isEqualTo(T0.plusSeconds(1));
    }
}
