package org.vigie.rtsp.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigie.rtsp.RtspParseException;

class RtpInfoTest {

    @Test
    void readsOneStream() {
        RtpInfo i = RtpInfo.parseList("url=rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode="
                + "unicast;seq=39621;rtptime=3049254131").get(0);
        assertThat(i.url()).isEqualTo("rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast");
        assertThat(i.seq().getAsInt()).isEqualTo(39621);
        assertThat(i.rtpTime().getAsLong()).isEqualTo(3049254131L);
    }

    @Test
    void urlsKeepTheirSemicolonsCommasAndQueries() {
        List<RtpInfo> l = RtpInfo.parseList("url=rtsp://h/media.amp/stream=0?videocodec=h264;seq=1;rtptime=2, "
                + "url=rtsp://h/a;b,c/track2;seq=3");
        assertThat(l).hasSize(2);
        assertThat(l.get(0).url()).isEqualTo("rtsp://h/media.amp/stream=0?videocodec=h264");
        assertThat(l.get(1).url()).isEqualTo("rtsp://h/a;b,c/track2");
        assertThat(l.get(1).rtpTime()).isEmpty();
        assertThat(RtpInfo.parseList(l.get(0).format()).get(0)).isEqualTo(l.get(0));
    }

    @Test
    void malformedValuesAreParseErrors() {
        for (String bad : new String[] {"", "seq=1", "url=rtsp://h/t;seq=70000", "url=rtsp://h/t;rtptime=-1",
                "url=rtsp://h/t;rtptime=4294967296"}) {
            assertThatThrownBy(() -> RtpInfo.parseList(bad)).as(bad).isInstanceOf(RtspParseException.class);
        }
    }
}
