package org.vigie.recorder.storage;

import org.vigie.testing.Ffprobe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.recorder.testing.SyntheticStream.T0;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.Frame;
import org.vigie.testing.TestClip;

/** Segments made of a real H.264 clip must open, standalone, in ffprobe and decode in ffmpeg. */
class SegmentFfprobeTest {

    @TempDir
    static Path clipDir;
    static TestClip clip;

    @TempDir
    Path storage;

    @BeforeAll
    static void makeClip() throws Exception {
        clip = TestClip.generate(clipDir, 150); // 6 s at 25 fps, GOP 1 s
    }

    private StreamFixture record(Duration segment, Duration fragment) {
        StreamFixture fx = new StreamFixture(storage, segment, fragment);
        for (int i = 0; i < clip.accessUnits.size(); i++) {
            fx.recorder.onFrame(new Frame(clip.format, 1, 90_000L + i * 3600L, T0 + i * 40_000L,
                    clip.keyFrames.get(i), clip.accessUnits.get(i)), false);
        }
        fx.end();
        return fx;
    }

    @Test
    void clipHasTheExpectedShape() {
        assertThat(clip.accessUnits).hasSize(150);
        assertThat(clip.keyFrames.stream().filter(k -> k).count()).isEqualTo(6);
        assertThat(clip.keyFrames.get(0)).isTrue();
    }

    @Test
    void aSegmentOpensInFfprobeOnItsOwnWithTheExpectedFramesAndDuration() throws Exception {
        StreamFixture fx = record(Duration.ofSeconds(60), Duration.ofSeconds(2));
        Path segment = fx.segments().get(0).segment();

        List<String> info = Ffprobe.lines(segment, "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height,nb_read_frames:format=duration,format_name", "-of", "default=nw=1");
        assertThat(info).contains("codec_name=h264", "width=320", "height=240", "nb_read_frames=150",
                "duration=6.000000");
        assertThat(info).anyMatch(l -> l.startsWith("format_name=mov,mp4"));
        List<String> first = Ffprobe.lines(segment, "-select_streams", "v:0", "-read_intervals", "%+#1",
                "-show_entries", "frame=key_frame,pts_time", "-of", "default=nw=1");
        assertThat(first).containsExactly("key_frame=1", "pts_time=0.000000");
        assertThat(Ffprobe.decodeErrors(segment)).isEmpty();
        assertThat(fx.index(0)).hasSize(3);
    }

    @Test
    void everyRolledSegmentOpensOnItsOwnAndTheFramesAddUp() throws Exception {
        StreamFixture fx = record(Duration.ofSeconds(2), Duration.ofSeconds(1));
        List<SegmentInfo> segs = fx.segments();
        assertThat(segs).hasSize(3);
        int total = 0;
        for (SegmentInfo s : segs) {
            List<String> info = Ffprobe.lines(s.segment(), "-count_frames", "-select_streams", "v:0",
                    "-show_entries", "stream=nb_read_frames:format=duration", "-of", "default=nw=1");
            assertThat(info).contains("duration=2.000000");
            total += Integer.parseInt(info.stream().filter(l -> l.startsWith("nb_read_frames=")).findFirst()
                    .orElseThrow().substring("nb_read_frames=".length()));
            assertThat(Ffprobe.decodeErrors(s.segment())).isEmpty();
        }
        assertThat(total).isEqualTo(150);
    }

    @Test
    void prftCarriesTheWallTimeOfEachFragment() throws Exception {
        StreamFixture fx = record(Duration.ofSeconds(60), Duration.ofSeconds(2));
        List<IndexEntry> idx = fx.index(0);
        assertThat(idx).extracting(IndexEntry::wallMicros).containsExactly(T0, T0 + 2_000_000, T0 + 4_000_000);
        // the index rebuilt from the file alone is identical
        Path segment = fx.segments().get(0).segment();
        byte[] before = Files.readAllBytes(segment.resolveSibling(segment.getFileName().toString()
                .replace(".mp4", ".idx")));
        Files.delete(StorageLayout.indexOf(segment));
        StorageRecovery.recoverSegment(segment, true);
        assertThat(Files.readAllBytes(StorageLayout.indexOf(segment))).isEqualTo(before);
    }
}
