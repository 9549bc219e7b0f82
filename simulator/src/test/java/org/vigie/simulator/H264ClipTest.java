package org.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class H264ClipTest {

    @Test
    void generatedClipSplitsIntoOneAccessUnitPerFrameWithIdrAtEveryGop() throws Exception {
        ClipPreset preset = ClipPreset.SMALL_240P;
        Path file = TestClips.file(preset);
        H264Clip clip = H264Clip.read(file, preset.fps());

        assertThat(clip.size()).isEqualTo(preset.frameCount()).isEqualTo(ffprobeFrameCount(file));
        for (int i = 0; i < clip.size(); i++) {
            assertThat(clip.accessUnit(i).idr()).as("AU %d", i).isEqualTo(i % preset.gopFrames() == 0);
        }
        for (H264Clip.AccessUnit au : clip.accessUnits()) {
            assertThat(au.nalUnits()).allSatisfy(n -> assertThat(n[0] & 0x1F).isNotEqualTo(H264Clip.NAL_AUD));
            if (au.idr()) {
                assertThat(au.nalUnits()).extracting(n -> n[0] & 0x1F).contains(H264Clip.NAL_SPS, H264Clip.NAL_PPS);
            }
        }
    }

    @Test
    void parameterSetsGiveTheSdpAttributes() {
        H264Clip clip = H264Clip.parse(stream(false), 25);
        assertThat(clip.profileLevelId()).isEqualTo("42c01e");
        String[] sets = clip.spropParameterSets().split(",");
        assertThat(Base64.getDecoder().decode(sets[0])).isEqualTo(SPS);
        assertThat(Base64.getDecoder().decode(sets[1])).isEqualTo(PPS);
    }

    @Test
    void clip720pReallyCostsAboutTwoMegabitsPerSecond() throws Exception {
        ClipPreset preset = ClipPreset.HD_720P;
        H264Clip clip = H264Clip.read(TestClips.file(preset), preset.fps());
        assertThat(clip.size()).isEqualTo(400);
        assertThat(clip.bitrate()).isBetween(1_700_000L, 2_300_000L);
    }

    @Test
    void idrWithoutRepeatedHeadersGetsThemInserted() {
        H264Clip clip = H264Clip.parse(stream(true), 25);
        assertThat(clip.size()).isEqualTo(3);
        List<byte[]> secondIdr = clip.accessUnit(2).nalUnits();
        assertThat(secondIdr.get(0)).isEqualTo(SPS);
        assertThat(secondIdr.get(1)).isEqualTo(PPS);
        assertThat(secondIdr.get(2)[0] & 0x1F).isEqualTo(H264Clip.NAL_IDR);
        assertThat(clip.accessUnit(1).idr()).isFalse();
    }

    @Test
    void clipNotStartingOnIdrIsRejectedBecauseTheLoopSeamWouldBreak() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        nal(out, SPS);
        nal(out, PPS);
        nal(out, new byte[] {0x41, (byte) 0x9A, 1, 2}); // non-IDR slice, first_mb 0
        nal(out, new byte[] {0x65, (byte) 0x88, 3, 4});
        assertThatThrownBy(() -> H264Clip.parse(out.toByteArray(), 25))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IDR");
    }

    @Test
    void garbageIsRejected() {
        assertThatThrownBy(() -> H264Clip.parse(new byte[] {1, 2, 3, 4, 5}, 25))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xDA, 0x02, (byte) 0x80};
    static final byte[] PPS = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};

    /** AUD, SPS, PPS, IDR | AUD, P | [AUD,] IDR (headers repeated or not). */
    private static byte[] stream(boolean omitRepeatedHeaders) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        nal(out, new byte[] {0x09, (byte) 0xF0});
        nal(out, SPS);
        nal(out, PPS);
        nal(out, new byte[] {0x65, (byte) 0x88, 1, 2, 3});
        nal(out, new byte[] {0x09, (byte) 0xF0});
        nal(out, new byte[] {0x41, (byte) 0x9A, 4, 5});
        if (!omitRepeatedHeaders) {
            nal(out, SPS);
            nal(out, PPS);
        }
        nal(out, new byte[] {0x65, (byte) 0x88, 6, 7});
        return out.toByteArray();
    }

    private static void nal(ByteArrayOutputStream out, byte[] nal) {
        out.writeBytes(new byte[] {0, 0, 0, 1});
        out.writeBytes(nal);
    }

    private static int ffprobeFrameCount(Path file) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Integer.parseInt(new String(p.getInputStream().readAllBytes()).trim());
    }

    @Test
    void presetRejectsAClipThatIsNotWholeGops() {
        assertThatThrownBy(() -> new ClipPreset(320, 240, 25, 300, 25, 110))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.exists(TestClips.LIBRARY.directory())).isTrue();
    }
}
