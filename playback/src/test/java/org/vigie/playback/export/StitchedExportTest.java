package org.vigie.playback.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.recorder.mp4.FragmentInfo;
import org.vigie.recorder.mp4.SegmentScan;
import org.vigie.recorder.mp4.SegmentScanner;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.testing.SyntheticArchive;

/**
 * Issue 13: the parts of a window held by two nodes (two archives here) stitched into one MP4: frames in time order,
 * the media timeline continuous across the handover (the window minus the gap), a part's frames that the previous
 * part already has dropped up to the next key frame, each fragment keeping its UTC time.
 */
class StitchedExportTest {

    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path dir;

    /** Node A recorded [0, 10 s), node B [b, 20 s); A's part of [2, 10 s) and B's of [bFrom, 18 s), stitched. */
    SegmentScan stitch(long bStartSeconds, double bFromSeconds, List<ExportParts.Gap> gaps, StitchedExport[] out)
            throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        SyntheticArchive.write(a, Mp4ExportTest.KEY, T0, Duration.ofSeconds(10), Mp4ExportTest.SHAPE,
                SyntheticArchive.FORMAT);
        SyntheticArchive.write(b, Mp4ExportTest.KEY, T0.plusSeconds(bStartSeconds), Duration.ofSeconds(20
                - bStartSeconds), Mp4ExportTest.SHAPE, SyntheticArchive.FORMAT);
        Path pa = part(a, T0.plusSeconds(2), T0.plusSeconds(10), "a.mp4");
        Path pb = part(b, T0.plusMillis((long) (bFromSeconds * 1000)), T0.plusSeconds(18), "b.mp4");
        StitchedExport s = StitchedExport.make(Mp4ExportTest.KEY, List.of(pa, pb), gaps, dir);
        out[0] = s;
        byte[] file = read(s);
        Path p = dir.resolve("out.mp4");
        Files.write(p, file);
        try (FileChannel ch = FileChannel.open(p)) {
            return SegmentScanner.scan(ch);
        }
    }

    static byte[] read(StitchedExport s) throws Exception {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        s.write(0, s.length(), new ExportSink() {
            @Override
            public void bytes(byte[] b, int offset, int length) {
                o.write(b, offset, length);
            }

            @Override
            public void file(Path file, long position, long length) throws java.io.IOException {
                byte[] all = Files.readAllBytes(file);
                o.write(all, (int) position, (int) length);
            }
        });
        return o.toByteArray();
    }

    Path part(Path storage, Instant from, Instant to, String name) throws Exception {
        Mp4Export e = Mp4Export.plan(new ArchiveReader(Catalog.load(storage)), Mp4ExportTest.KEY, from, to)
                .orElseThrow();
        Path p = dir.resolve(name);
        Files.write(p, Mp4ExportTest.bytes(e, 0, e.length()));
        return p;
    }

    @Test
    void twoPartsWithAHandoverGapAreOneFileInTimeOrderLastingTheWindowMinusTheGap() throws Exception {
        StitchedExport[] s = new StitchedExport[1];
        SegmentScan scan = stitch(13, 13, List.of(), s);
        assertThat(scan.problem()).isNull();
        assertFragments(scan.fragments());
        long frames = scan.fragments().stream().mapToLong(f -> f.samples().size()).sum();
        assertThat(frames).as("8 s of A, 5 s of B, at 25 fps").isEqualTo(200 + 125);
        assertThat(s[0].durationSeconds()).as("16 s window minus the 3 s gap").isEqualTo(13.0);
        assertThat(s[0].start()).isEqualTo(T0.plusSeconds(2));
        assertThat(s[0].end()).isEqualTo(T0.plusSeconds(18));
        assertThat(s[0].partsUsed()).isEqualTo(2);
        s[0].close();
    }

    @Test
    void framesBothNodesRecordedAreKeptOnceFromTheNextKeyFrame() throws Exception {
        StitchedExport[] s = new StitchedExport[1];
        // B recorded from 8 s; its part asked from 9.5 s starts at its key frame at 9 s, before A's end at 10 s
        SegmentScan scan = stitch(8, 9.5, List.of(new ExportParts.Gap(T0, T0.plusSeconds(1), "rec-03",
                "held by node rec-03, which is down")), s);
        assertThat(scan.problem()).isNull();
        assertFragments(scan.fragments());
        long frames = scan.fragments().stream().mapToLong(f -> f.samples().size()).sum();
        assertThat(frames).as("[2, 10 s) of A then [10, 18 s) of B, nothing twice").isEqualTo(400);
        assertThat(s[0].durationSeconds()).isEqualTo(16.0);
        assertThat(s[0].gaps()).hasSize(1);
        s[0].close();
    }

    @Test
    void theGatheredFramesAreAnArchiveOfTheStitchedFramesInTimeOrderForTheMaskedExport() throws Exception {
        StitchedExport[] s = new StitchedExport[1];
        stitch(13, 13, List.of(), s);
        long frames = 0;
        long lastWall = Long.MIN_VALUE;
        try (GatheredArchive g = GatheredArchive.of(s[0], dir);
             org.vigie.recorder.storage.FrameCursor c = g.reader().framesFrom(Mp4ExportTest.KEY, T0)) {
            while (c.hasNext()) {
                var f = c.next();
                assertThat(f.wallMicros()).as("frames in time order").isGreaterThan(lastWall);
                assertThat(f.wallMicros() < Mp4Export.micros(T0.plusSeconds(10))
                        || f.wallMicros() >= Mp4Export.micros(T0.plusSeconds(13))).as("no frame in the gap").isTrue();
                lastWall = f.wallMicros();
                frames++;
            }
            assertThat(frames).as("8 s of A, 5 s of B, at 25 fps").isEqualTo(200 + 125);
            // what the masked export will burn the masks into: the same pictures, the gap closed
            MaskedExport.Plan plan = MaskedExport.plan(g.reader(), Mp4ExportTest.KEY, T0.plusSeconds(2),
                    T0.plusSeconds(18)).orElseThrow();
            assertThat(plan.frames()).isEqualTo(325);
            assertThat(plan.start()).isEqualTo(T0.plusSeconds(2));
            assertThat(plan.durationSeconds()).isEqualTo(13.0);
            Path folder;
            try (var list = Files.list(dir)) {
                folder = list.filter(p -> p.getFileName().toString().startsWith("gathered-")).findFirst()
                        .orElseThrow();
            }
            g.close();
            assertThat(folder).doesNotExist();
        }
        s[0].close();
    }

    static void assertFragments(List<FragmentInfo> f) {
        long tfdt = 0;
        long wall = Long.MIN_VALUE;
        for (int i = 0; i < f.size(); i++) {
            assertThat(f.get(i).sequence()).isEqualTo(i + 1);
            assertThat(f.get(i).baseMediaTime90k()).as("tfdt of fragment %d", i).isEqualTo(tfdt);
            assertThat(f.get(i).wallMicros()).as("fragments in time order").isGreaterThan(wall);
            tfdt += f.get(i).durationTicks();
            wall = f.get(i).wallMicros();
        }
        assertThat(f.get(0).startsWithKeyFrame()).isTrue();
    }
}
