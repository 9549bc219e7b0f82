package org.vigie.gst.mask;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.base.privacy.MaskSet;
import org.vigie.base.privacy.PrivacyMask;
import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;
import org.vigie.testing.Ffprobe;
import org.vigie.testing.LumaRange;
import org.vigie.testing.TestClip;

/** Real GStreamer burns a quarter-picture mask into a real H.264 clip; ffmpeg, an independent decoder, checks it. */
class MaskedTranscoderTest {

    /** The top-left quarter of the picture, permanent. */
    static final MaskSet QUARTER = new MaskSet(3, List.of(new PrivacyMask("home", PrivacyMask.Kind.PERMANENT,
            List.of(new PrivacyMask.Point(0, 0), new PrivacyMask.Point(0.5, 0), new PrivacyMask.Point(0.5, 0.5),
                    new PrivacyMask.Point(0, 0.5)))));

    @TempDir
    Path dir;

    record Encoded(byte[] au, long pts, long duration, boolean key) {
    }

    @Test
    void theMaskIsUniformBlackInEveryFrameTheRestIsNotAndHiddenUnitsAreNotEncoded() throws Exception {
        TestClip clip = TestClip.of(100);
        AtomicReference<VideoFormat> format = new AtomicReference<>();
        List<Encoded> out = new ArrayList<>();
        AtomicReference<String> end = new AtomicReference<>();
        MaskedTranscoder.Output output = new MaskedTranscoder.Output() {
            public void format(VideoFormat f) {
                format.set(f);
            }

            public void frame(byte[] au, long pts, long duration, boolean key) {
                out.add(new Encoded(au, pts, duration, key));
            }

            public void end() {
                end.set("end");
            }

            public void failed(String message) {
                end.set("failed: " + message);
            }
        };
        Path png = new MaskImages(dir.resolve("masks")).png(QUARTER, TestClip.WIDTH, TestClip.HEIGHT);
        try (MaskedTranscoder t = MaskedTranscoder.start(clip.format, png,
                new MaskedTranscoder.Settings(800, 25, false), 10 * 40_000_000L, output, "cam-1")) {
            for (int i = 0; i < 50; i++) {
                assertThat(t.push(clip.accessUnits.get(i), i * 40_000_000L, 40_000_000L)).isTrue();
            }
            assertThat(t.finish(30, TimeUnit.SECONDS)).as("finished").isTrue();
        }
        assertThat(end.get()).isEqualTo("end");
        assertThat(format.get().codec()).isEqualTo(Codec.H264);
        assertThat(format.get().width()).isEqualTo(TestClip.WIDTH);
        assertThat(format.get().height()).isEqualTo(TestClip.HEIGHT);
        assertThat(out).as("the 10 hidden units are decoded, not encoded").hasSize(40);
        assertThat(out.get(0).key()).isTrue();
        assertThat(out.get(0).pts()).isEqualTo(10 * 40_000_000L);

        Path mp4 = dir.resolve("masked.h264"); // raw Annex B: native has no MP4 writer (recorder's is upstream)
        Files.write(mp4, annexB(format.get().decoderConfig(), out));

        assertThat(Ffprobe.decodeErrors(mp4)).isEmpty();
        List<LumaRange.Frame> under = LumaRange.of(mp4.toString(), List.of(), 0, 0, 156, 116, 1000);
        List<LumaRange.Frame> outside = LumaRange.of(mp4.toString(), List.of(), 160, 120, 160, 120, 1000);
        assertThat(under).hasSize(40).allSatisfy(f -> assertThat(f.range()).as("luma range under the mask").isLessThanOrEqualTo(4));
        assertThat(under).allSatisfy(f -> assertThat(f.max()).as("black").isLessThanOrEqualTo(20));
        assertThat(outside).hasSize(40).allSatisfy(f -> assertThat(f.range()).as("luma range outside").isGreaterThan(50));
    }

    /** The parameter sets of the avcC, then every access unit, each NAL unit after a start code. */
    static byte[] annexB(byte[] avcC, List<Encoded> units) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int spsLen = ((avcC[6] & 0xff) << 8) | (avcC[7] & 0xff);
        int ppsAt = 8 + spsLen + 1;
        int ppsLen = ((avcC[ppsAt] & 0xff) << 8) | (avcC[ppsAt + 1] & 0xff);
        byte[] start = {0, 0, 0, 1};
        b.writeBytes(start);
        b.write(avcC, 8, spsLen);
        b.writeBytes(start);
        b.write(avcC, ppsAt + 2, ppsLen);
        for (Encoded e : units) {
            byte[] au = e.au();
            for (int p = 0; p + 4 <= au.length; ) {
                int n = ((au[p] & 0xff) << 24) | ((au[p + 1] & 0xff) << 16) | ((au[p + 2] & 0xff) << 8) | (au[p + 3] & 0xff);
                b.writeBytes(start);
                b.write(au, p + 4, n);
                p += 4 + n;
            }
        }
        return b.toByteArray();
    }

    @Test
    void theEncoderFormatIsReadFromItsCaps() {
        VideoFormat f = MaskedTranscoder.formatOf("video/x-h264, codec_data=(buffer)0164001fffe1000a, stream-format=(string)avc,"
                + " width=(int)1280, height=(int)720");
        assertThat(f.width()).isEqualTo(1280);
        assertThat(f.height()).isEqualTo(720);
        assertThat(f.decoderConfig()).containsExactly(0x01, 0x64, 0x00, 0x1f, 0xff, 0xe1, 0x00, 0x0a);
    }
}
