package org.vigie.rtsp.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;
import org.vigie.rtsp.RtspParseException;
import org.vigie.rtsp.codec.AvcConfig;
import org.vigie.rtsp.codec.HevcConfig;
import org.vigie.rtsp.testing.Clip;

class SessionDescriptionTest {

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        // base                                                  | control                          | expected
        "rtsp://h/axis-media/media.amp/                            | trackID=1                        | rtsp://h/axis-media/media.amp/trackID=1",
        "rtsp://h/axis-media/media.amp                             | trackID=1                        | rtsp://h/axis-media/media.amp/trackID=1",
        "rtsp://h:554/cam/realmonitor?channel=1&subtype=0/         | trackID=0                        | rtsp://h:554/cam/realmonitor?channel=1&subtype=0/trackID=0",
        "rtsp://h/Streaming/Channels/101/                          | rtsp://h/Streaming/Channels/101/trackID=1?transportmode=unicast | rtsp://h/Streaming/Channels/101/trackID=1?transportmode=unicast",
        "rtsp://h:8554/live/                                       | *                                | rtsp://h:8554/live/",
        "rtsp://h:8554/live/                                       | /other/track                     | rtsp://h:8554/other/track",
        "rtsps://h:322/s/                                          | RTSP://h/x                       | RTSP://h/x",
    })
    void controlUrlsResolveTheWayCamerasExpect(String base, String control, String expected) {
        assertThat(SessionDescription.controlUrl(base, control)).isEqualTo(expected);
    }

    @Test
    void readsVideoAndSkipsOtherSections() {
        String sdp = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=x\nt=0 0\na=control:*\n"
                + "m=audio 0 RTP/AVP 8\na=rtpmap:8 PCMA/8000\na=control:trackID=1\n"
                + "m=application 0 RTP/AVP 107\na=rtpmap:107 vnd.onvif.metadata/90000\n"
                + "m=video 0 RTP/AVP 96 97\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1; "
                + "profile-level-id=4D0029;sprop-parameter-sets=Z00AKQ==,aO48gA==\r\na=control:trackID=0\r\n";
        SessionDescription d = SessionDescription.parse(sdp);
        assertThat(d.sessionControl()).isEqualTo("*");
        assertThat(d.media()).hasSize(3);
        MediaDescription v = d.firstVideo(VideoTrack.ENCODINGS);
        assertThat(v.payloadType()).isEqualTo(96);
        assertThat(v.payloadTypes()).containsExactly(96, 97);
        assertThat(v.encoding()).isEqualTo("H264");
        assertThat(v.clockRate()).isEqualTo(90000);
        assertThat(v.fmtp("Profile-Level-Id")).isEqualTo("4D0029");
        assertThat(v.control()).isEqualTo("trackID=0");
    }

    @Test
    void videoTrackTakesTheParameterSetsOfTheSdp() {
        Clip clip = Clip.h264();
        AvcConfig avc = AvcConfig.of(List.of(clip.first(7)), List.of(clip.first(8)));
        String sdp = SdpWriter.video("t", "127.0.0.1", 1, "npt=now-", avc.toFormat(), "trackID=0", 512, 25);
        VideoTrack t = VideoTrack.of(SessionDescription.parse(sdp).firstVideo(VideoTrack.ENCODINGS), "rtsp://h/s/");
        assertThat(t.codec()).isEqualTo(Codec.H264);
        assertThat(t.sps()).containsExactly(clip.first(7));
        assertThat(t.pps()).containsExactly(clip.first(8));
        assertThat(t.controlUrl()).isEqualTo("rtsp://h/s/trackID=0");
        assertThat(sdp).contains("b=AS:512", "a=framerate:25", "profile-level-id=" + avc.profileLevelId());

        Clip h265 = Clip.h265();
        VideoFormat hevc = new HevcConfig(List.of(h265.first(32)), List.of(h265.first(33)), List.of(h265.first(34)))
                .toFormat();
        String sdp265 = SdpWriter.video("t", "::1", 1, "npt=now-", hevc, "trackID=0", 0, 0);
        VideoTrack t265 = VideoTrack.of(SessionDescription.parse(sdp265).firstVideo(VideoTrack.ENCODINGS), "rtsp://h/");
        assertThat(t265.codec()).isEqualTo(Codec.H265);
        assertThat(t265.vps()).containsExactly(h265.first(32));
        assertThat(sdp265).contains("IN IP6 ::1").doesNotContain("b=AS");
    }

    @Test
    void undecodableParameterSetsAreLeftToTheStream() {
        MediaDescription m = SessionDescription.parse("v=0\nm=video 0 RTP/AVP 96\na=rtpmap:96 H264/90000\n"
                + "a=fmtp:96 sprop-parameter-sets=!!notbase64!!,aO48gA==\n").media().get(0);
        VideoTrack t = VideoTrack.of(m, "rtsp://h/");
        assertThat(t.sps()).isEmpty();
        assertThat(t.pps()).hasSize(1);
    }

    @Test
    void whatTheJavaClientDoesNotReceiveIsUnsupportedNotMalformed() {
        for (String media : new String[] {
            "m=video 0 RTP/AVP 26\na=rtpmap:26 JPEG/90000\n",
            "m=video 0 RTP/AVP 96\na=rtpmap:96 H264/90000\na=fmtp:96 packetization-mode=2\n",
            "m=video 0 RTP/AVP 96\na=rtpmap:96 H265/90000\na=fmtp:96 sprop-max-don-diff=2\n",
            "m=video 0 RTP/AVP 96\na=rtpmap:96 H264/48000\n"}) {
            MediaDescription m = SessionDescription.parse("v=0\n" + media).media().get(0);
            assertThatThrownBy(() -> VideoTrack.of(m, "rtsp://h/")).as(media)
                    .isInstanceOf(UnsupportedTrackException.class);
        }
    }

    @Test
    void malformedSdpsAreParseErrors() {
        for (String bad : new String[] {"", "hello", "v=0\nm=video\n", "v=0\nm=video 0 RTP/AVP 96\na=rtpmap:96\n",
                "v=0\nm=video 0 RTP/AVP 96\na=rtpmap:96 H264/x\n", "v=0\nm=video 0 RTP/AVP 96\na=rtpmap:96 H264/-5\n"}) {
            assertThatThrownBy(() -> SessionDescription.parse(bad)).as(bad).isInstanceOf(RtspParseException.class);
        }
        assertThatThrownBy(() -> SessionDescription.parse(new byte[70_000])).isInstanceOf(RtspParseException.class);
    }
}
