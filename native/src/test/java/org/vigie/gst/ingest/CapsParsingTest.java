package org.vigie.gst.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;

/** VideoFormat from appsink caps text, and PTS conversion. */
class CapsParsingTest {

    @Test
    void parsesH264CapsAsH264parseWritesThem() {
        VideoFormat f = RtspIngestPipeline.parseFormat("video/x-h264, stream-format=(string)avc, "
                + "alignment=(string)au, codec_data=(buffer)0142c00dffe1001967, level=(string)1.3, "
                + "profile=(string)constrained-baseline, width=(int)320, height=(int)240, framerate=(fraction)25/1");
        assertThat(f.codec()).isEqualTo(Codec.H264);
        assertThat(f.width()).isEqualTo(320);
        assertThat(f.height()).isEqualTo(240);
        assertThat(f.decoderConfig()).containsExactly(0x01, 0x42, 0xc0, 0x0d, 0xff, 0xe1, 0x00, 0x19, 0x67);
        assertThat(f.rfc6381()).isEqualTo("avc1.42c00d");
    }

    @Test
    void parsesH265AndRejectsIncompleteCaps() {
        assertThat(RtspIngestPipeline.parseFormat("video/x-h265, stream-format=(string)hvc1, width=(int)1920, "
                + "height=(int)1080, codec_data=(buffer)01").codec()).isEqualTo(Codec.H265);
        assertThat(RtspIngestPipeline.parseFormat("video/x-h264, width=(int)320, height=(int)240")).isNull();
        assertThat(RtspIngestPipeline.parseFormat("video/x-vp8, width=(int)320, height=(int)240")).isNull();
    }

    @Test
    void convertsNanosecondsTo90kHzWithoutOverflow() {
        assertThat(RtspIngestPipeline.toTicks90k(1_000_000_000L)).isEqualTo(90_000);
        assertThat(RtspIngestPipeline.toTicks90k(40_000_000L)).isEqualTo(3_600);
        assertThat(RtspIngestPipeline.toTicks90k(11_111L)).isEqualTo(0);
        assertThat(RtspIngestPipeline.toTicks90k(11_112L)).isEqualTo(1);
        long hundredYears = 100L * 365 * 24 * 3600 * 1_000_000_000L;
        assertThat(RtspIngestPipeline.toTicks90k(hundredYears)).isEqualTo(100L * 365 * 24 * 3600 * 90_000);
    }
}
