package org.vigie.rtsp.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vigie.rtsp.RtspParseException;
import org.vigie.rtsp.sdp.SessionDescription;

/**
 * Mutated camera answers (in the shapes of common makers' DESCRIBE/SETUP/PLAY answers) through the message parser
 * and the SDP parser: the only exception allowed is the library's own {@link RtspParseException}, whose message
 * never carries raw control bytes.
 */
class RtspMessagesFuzzTest {

    private static final String SDP = "v=0\r\no=- 1109162014219182 0 IN IP4 0.0.0.0\r\ns=Media Presentation\r\n"
            + "c=IN IP4 0.0.0.0\r\nt=0 0\r\na=control:*\r\nm=video 0 RTP/AVP 96\r\nb=AS:5000\r\n"
            + "a=control:trackID=1\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 profile-level-id=420029; "
            + "packetization-mode=1; sprop-parameter-sets=Z01AKJWgHgCJ+VA=,aO48gA==\r\n";

    private static final List<String> FIXTURES = List.of(
            "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Base: "
                    + "rtsp://192.168.1.64:554/Streaming/Channels/101/\r\nContent-Length: " + SDP.length()
                    + "\r\n\r\n" + SDP,
            "RTSP/1.0 200 OK\r\nCSeq: 3\r\nSession:       1273222592;timeout=60\r\nTransport: "
                    + "RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=6b8b4567;mode=\"play\"\r\nDate:  Sun, Dec 06 2026 "
                    + "10:00:00 GMT\r\n\r\n",
            "RTSP/1.0 200 OK\r\nCSeq: 4\r\nSession: 1273222592\r\nRTP-Info: url=rtsp://192.168.1.64:554/"
                    + "Streaming/Channels/101/trackID=1;seq=11234;rtptime=987654321\r\n\r\n",
            "RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nWWW-Authenticate: Digest realm=\"IP Camera(12345)\", "
                    + "nonce=\"0a4f113b\", stale=\"FALSE\"\r\nWWW-Authenticate: Basic realm=\"IP Camera\"\r\n\r\n");

    @Test
    void mutatedAnswersThrowOnlyTheLibrarysParseError() {
        Random random = new Random(20261206);
        int parsed = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] m = FIXTURES.get(round % FIXTURES.size()).getBytes(StandardCharsets.ISO_8859_1);
            int mutations = 1 + random.nextInt(8);
            for (int i = 0; i < mutations; i++) {
                m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            }
            try {
                Object o = RtspMessages.parse(m);
                parsed++;
                if (o instanceof RtspResponse r && r.body().length > 0) {
                    SessionDescription.parse(r.body());
                }
            } catch (RtspParseException e) {
                assertThat(e.getMessage()).doesNotContain("\r", "\n", "\0");
            }
        }
        assertThat(parsed).as("some mutants still parse").isGreaterThan(1000);
    }

    @Test
    void aHeaderNameWithACarriageReturnIsAParseError() {
        byte[] m = "RTSP/1.0 200 OK\r\nCSeq: 1\r\nX\rY: z\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> RtspMessages.parse(m)).isInstanceOf(RtspParseException.class)
                .hasMessageContaining("'X?Y'");
    }
}
