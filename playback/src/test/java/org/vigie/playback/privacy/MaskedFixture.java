package org.vigie.playback.privacy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.vigie.base.privacy.MaskSet;
import org.vigie.base.privacy.PrivacyMask;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.Catalog;
import org.vigie.media.FrameSink;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.RecorderConfig;
import org.vigie.testing.LumaRange;
import org.vigie.testing.TestClip;

/**
 * What the burn-in tests share: a permanent mask over the top-left quarter of the picture, an archive of a real
 * H.264 clip (ffmpeg's moving {@code testsrc}, 320x240, 25 fps, GOP 1 s) recorded through the real recorder, and the
 * ffmpeg check of a decoded picture under and outside the mask.
 */
public final class MaskedFixture {

    /** 2026-01-01T00:00:00Z in µs. */
    public static final long T0 = 1_767_225_600_000_000L;
    public static final Instant START = Instant.ofEpochSecond(0, T0 * 1000);
    public static final StreamKey KEY = StreamKey.main("cam-1");
    /** The top-left quarter, permanent, version 7. */
    public static final MaskSet QUARTER = new MaskSet(7, List.of(new PrivacyMask("home", PrivacyMask.Kind.PERMANENT,
            List.of(new PrivacyMask.Point(0, 0), new PrivacyMask.Point(0.5, 0), new PrivacyMask.Point(0.5, 0.5),
                    new PrivacyMask.Point(0, 0.5)))));
    /** Largest luma range (levels) accepted under the mask: uniform black. */
    public static final int UNIFORM = 4;
    /** Smallest luma range expected outside the mask: the test pattern. */
    public static final int PATTERN = 50;

    private MaskedFixture() {
    }

    /** {@code seconds} of the clip from {@link #START}, recorded into {@code storage}. */
    public static ArchiveReader record(Path storage, int seconds) throws IOException {
        TestClip clip = TestClip.of(100);
        try (Recorder rec = Recorder.open(RecorderConfig.defaults(storage)
                .withDurations(Duration.ofSeconds(10), Duration.ofSeconds(1)).withQueue(1, 1_000), InstantSource.system())) {
            FrameSink sink = rec.sink(KEY);
            for (int n = 0; n < seconds * clip.fps; n++) sink.onFrame(clip.frame(7, n, T0));
            sink.onSessionEnd(7);
        }
        return new ArchiveReader(Catalog.load(storage));
    }

    /** The luma range under the mask (a 4-pixel margin inside its edges) in every decoded frame. */
    public static List<LumaRange.Frame> underMask(String input, List<String> options, int maxFrames) throws Exception {
        return LumaRange.of(input, options, 0, 0, TestClip.WIDTH / 2 - 4, TestClip.HEIGHT / 2 - 4, maxFrames);
    }

    /** The luma range of the bottom-right quarter (no mask) in every decoded frame. */
    public static List<LumaRange.Frame> outsideMask(String input, List<String> options, int maxFrames) throws Exception {
        return LumaRange.of(input, options, TestClip.WIDTH / 2, TestClip.HEIGHT / 2, TestClip.WIDTH / 2,
                TestClip.HEIGHT / 2, maxFrames);
    }
}
