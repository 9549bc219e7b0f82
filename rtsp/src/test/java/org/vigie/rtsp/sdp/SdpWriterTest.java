package org.vigie.rtsp.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;

class SdpWriterTest {

    /** avcC of a 1280x720 Main profile stream: SPS 67 4d 00 1f ..., PPS 68 ee 3c 80. */
    static final byte[] AVCC = {1, 0x4d, 0x00, 0x1f, (byte) 0xff, (byte) 0xe1, 0, 4, 0x67, 0x4d, 0x00, 0x1f,
            1, 0, 4, 0x68, (byte) 0xee, 0x3c, (byte) 0x80};

    @Test
    void announcesTheParameterSetsOfTheStreamFormatAndTheTrackControl() {
        String sdp = SdpWriter.video("t", "127.0.0.1", 7, "npt=now-", new VideoFormat(Codec.H264, 1280, 720, AVCC),
                "trackID=0", 0, 0);
        assertThat(sdp).contains("o=- 7 1 IN IP4 127.0.0.1\r\n", "a=range:npt=now-\r\n", "m=video 0 RTP/AVP 96\r\n",
                "a=rtpmap:96 H264/90000\r\n", "profile-level-id=4d001f", "sprop-parameter-sets=Z00AHw==,aO48gA==",
                "a=framesize:96 1280-720\r\n", "a=control:trackID=0\r\n");
        assertThat(sdp).doesNotContain("b=AS", "a=framerate");
        assertThat(SessionDescription.parse(sdp.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .as("our own parser reads it back").isNotNull();
    }
}
