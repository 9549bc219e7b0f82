package org.vigie.playback.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.playback.privacy.MaskedFixture.KEY;
import static org.vigie.playback.privacy.MaskedFixture.PATTERN;
import static org.vigie.playback.privacy.MaskedFixture.QUARTER;
import static org.vigie.playback.privacy.MaskedFixture.START;
import static org.vigie.playback.privacy.MaskedFixture.UNIFORM;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.base.privacy.MaskSet;
import org.vigie.media.Frame;
import org.vigie.playback.SnapshotService;
import org.vigie.playback.archive.KeyFrameSeek;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.FrameCursor;
import org.vigie.testing.LumaRange;

/** A snapshot of a masked camera is black under the mask (checked by ffmpeg on the JPEG), and only then. */
class MaskedSnapshotTest {

    @TempDir
    Path dir;

    @Test
    void theJpegIsUniformBlackUnderTheMaskAndShowsThePictureElsewhere() throws Exception {
        ArchiveReader archive = MaskedFixture.record(dir.resolve("storage"), 2);
        java.time.Instant at = START.plusMillis(1480);
        ArrayDeque<Frame> gop;
        try (FrameCursor cursor = archive.framesFrom(KEY, at)) {
            gop = KeyFrameSeek.gopAt(cursor, at);
        }
        try (SnapshotService snapshots = new SnapshotService(10_000, new BurnIn(dir.resolve("burn-in"), 1))) {
            Path masked = dir.resolve("masked.jpg");
            Files.write(masked, snapshots.jpegOfLast(List.copyOf(gop), QUARTER));
            Path plain = dir.resolve("plain.jpg");
            Files.write(plain, snapshots.jpegOfLast(List.copyOf(gop), MaskSet.NONE));

            List<LumaRange.Frame> under = MaskedFixture.underMask(masked.toString(), List.of(), 1);
            assertThat(under).hasSize(1);
            assertThat(under.get(0).range()).as("luma range under the mask").isLessThanOrEqualTo(UNIFORM);
            assertThat(under.get(0).max()).as("black").isLessThanOrEqualTo(20);
            assertThat(MaskedFixture.outsideMask(masked.toString(), List.of(), 1).get(0).range())
                    .as("luma range outside the mask").isGreaterThan(PATTERN);
            assertThat(MaskedFixture.underMask(plain.toString(), List.of(), 1).get(0).range())
                    .as("the same place without masks").isGreaterThan(PATTERN);
        }
    }
}
