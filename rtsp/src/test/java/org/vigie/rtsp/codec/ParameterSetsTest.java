package org.vigie.rtsp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;
import org.vigie.rtsp.RtspParseException;
import org.vigie.rtsp.testing.Clip;

/** SPS parsing and decoder configuration records, on parameter sets of real encoders (x264, x265). */
class ParameterSetsTest {

    @Test
    void h264MainProfileSpsGivesPictureSizeAndProfileLevelId() {
        Clip clip = Clip.h264();
        H264Sps sps = H264Sps.parse(clip.first(7));
        assertThat(sps.width()).isEqualTo(320);
        assertThat(sps.height()).isEqualTo(240);
        assertThat(sps.profileIdc()).isEqualTo(77);
        assertThat(sps.profileLevelId()).startsWith("4d");
    }

    @Test
    void h264SpsGivesTheFrameRateOfItsVuiTimingOrZeroWhenItDoesNotSayIt() {
        byte[] sps = Clip.h264().first(7);
        assertThat(H264Sps.parse(sps).frameRate()).as("time_scale 50, num_units_in_tick 1").isEqualTo(25.0);
        H264Sps cut = H264Sps.parse(Arrays.copyOf(sps, 9)); // the VUI cut in its timing information
        assertThat(cut.width()).isEqualTo(320);
        assertThat(cut.frameRate()).isZero();
        assertThat(AvcConfig.of(List.of(sps), List.of(Clip.h264().first(8))).frameRate()).isEqualTo(25.0);
    }

    @Test
    void h264HighProfileSpsAppliesTheFrameCropping() {
        H264Sps sps = H264Sps.parse(Clip.h264High1080p().first(7));
        assertThat(sps.profileIdc()).isEqualTo(100);
        assertThat(sps.width()).isEqualTo(1920);
        assertThat(sps.height()).isEqualTo(1080); // coded as 68 macroblock rows (1088), cropped by 8
    }

    @Test
    void avcConfigRoundTripsAndDescribesTheStream() {
        Clip clip = Clip.h264();
        AvcConfig avc = AvcConfig.of(List.of(clip.first(7)), List.of(clip.first(8)));
        byte[] bytes = avc.toBytes();
        assertThat(bytes[0]).isEqualTo((byte) 1);
        assertThat(bytes[4] & 0xFF).isEqualTo(0xFF); // 4-byte NAL lengths
        AvcConfig back = AvcConfig.parse(bytes);
        assertThat(back.sps().get(0)).isEqualTo(clip.first(7));
        assertThat(back.pps().get(0)).isEqualTo(clip.first(8));
        VideoFormat f = avc.toFormat();
        assertThat(f.codec()).isEqualTo(Codec.H264);
        assertThat(f.width()).isEqualTo(320);
        assertThat(f.rfc6381()).isEqualTo("avc1." + avc.profileLevelId());
        assertThat(avc.spropParameterSets()).contains(",");
    }

    @Test
    void h265SpsAndHevcConfig() {
        Clip clip = Clip.h265();
        H265Sps sps = H265Sps.parse(clip.first(33));
        assertThat(sps.width()).isEqualTo(352);
        assertThat(sps.height()).isEqualTo(288);
        assertThat(sps.chromaFormat()).isEqualTo(1);
        assertThat(sps.bitDepthLuma()).isEqualTo(8);
        assertThat(sps.profileTierLevel()[0] & 0x1F).isEqualTo(1); // Main profile

        HevcConfig hevc = new HevcConfig(List.of(clip.first(32)), List.of(clip.first(33)), List.of(clip.first(34)));
        byte[] bytes = hevc.toBytes();
        assertThat(bytes[0]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(bytes, 1, 13)).isEqualTo(sps.profileTierLevel());
        assertThat(bytes[21] & 3).isEqualTo(3); // lengthSizeMinusOne
        HevcConfig back = HevcConfig.parse(bytes);
        assertThat(back.vps().get(0)).isEqualTo(clip.first(32));
        assertThat(back.sps().get(0)).isEqualTo(clip.first(33));
        assertThat(back.pps().get(0)).isEqualTo(clip.first(34));
        VideoFormat f = hevc.toFormat();
        assertThat(f.codec()).isEqualTo(Codec.H265);
        assertThat(f.width()).isEqualTo(352);
    }

    @Test
    void truncatedOrForeignParameterSetsAreTheLibrarysParseError() {
        byte[] sps = Clip.h264().first(7);
        assertThatThrownBy(() -> H264Sps.parse(Arrays.copyOf(sps, 5))).isInstanceOf(RtspParseException.class);
        assertThatThrownBy(() -> H264Sps.parse(Clip.h264().first(8))).isInstanceOf(RtspParseException.class);
        assertThatThrownBy(() -> H265Sps.parse(Arrays.copyOf(Clip.h265().first(33), 8)))
                .isInstanceOf(RtspParseException.class);
        assertThatThrownBy(() -> AvcConfig.parse(new byte[] {1, 77, 0, 30, (byte) 0xFF, (byte) 0xE1, 0, 40, 1}))
                .isInstanceOf(RtspParseException.class);
        assertThatThrownBy(() -> HevcConfig.parse(new byte[30])).isInstanceOf(RtspParseException.class);
    }

    @Test
    void splitsSamplesIntoNalUnitsAndRefusesLengthsRunningPastTheEnd() {
        assertThat(NalUnits.split(new byte[] {0, 0, 0, 2, 0x67, 1, 0, 0, 0, 3, 0x65, 2, 3}))
                .containsExactly(new byte[] {0x67, 1}, new byte[] {0x65, 2, 3});
        assertThatThrownBy(() -> NalUnits.split(new byte[] {0, 0, 0, 9, 0x65, 1}))
                .isInstanceOf(RtspParseException.class).hasMessageContaining("runs past");
        assertThatThrownBy(() -> NalUnits.split(new byte[] {0, 0, 0, 1, 0x65, 1}))
                .isInstanceOf(RtspParseException.class).hasMessageContaining("trailing");
    }
}
