package org.vigie.playback.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;

class SessionDescriptionTest {

    /** avcC of a 1280x720 Main profile stream: SPS 67 4d 00 1f ..., PPS 68 ee 3c 80. */
    static final byte[] AVCC = {1, 0x4d, 0x00, 0x1f, (byte) 0xff, (byte) 0xe1, 0, 4, 0x67, 0x4d, 0x00, 0x1f,
            1, 0, 4, 0x68, (byte) 0xee, 0x3c, (byte) 0x80};

    @Test
    void announcesTheParameterSetsOfTheStreamFormat() {
        String sdp = SessionDescription.of("t", new VideoFormat(Codec.H264, 1280, 720, AVCC), "127.0.0.1", 7, "npt=now-");
        assertThat(sdp).contains("m=video 0 RTP/AVP 96\r\n", "a=rtpmap:96 H264/90000\r\n",
                "profile-level-id=4d001f", "sprop-parameter-sets=Z00AHw==,aO48gA==", "a=control:trackID=0\r\n");
    }

    @Test
    void refusesH265AndTruncatedRecords() {
        assertThatThrownBy(() -> SessionDescription.of("t", new VideoFormat(Codec.H265, 1, 1, AVCC), "h", 1, "npt=now-"))
                .hasMessageContaining("H.264 only");
        assertThatThrownBy(() -> AvcConfig.parse(java.util.Arrays.copyOf(AVCC, 12))).hasMessageContaining("truncated");
    }

    @Test
    void ntpTimesRoundTripToTheMicrosecond() {
        long micros = 1_795_648_217_975_298L;
        assertThat(RtpPacketizer.ntpToMicros(RtpPacketizer.ntp(micros))).isEqualTo(micros);
    }
}
