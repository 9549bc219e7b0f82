package org.vigie.rtsp.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigie.rtsp.RtspParseException;

class TransportTest {

    @Test
    void serverEchoesTheClientsInterleavedChannelsWithItsSsrc() {
        Transport t = Transport.chooseForServer("RTP/AVP/TCP;unicast;interleaved=2-3").orElseThrow();
        assertThat(t.tcp()).isTrue();
        assertThat(t.answer(0x1A2B, null).format()).isEqualTo("RTP/AVP/TCP;unicast;interleaved=2-3;ssrc=00001A2B");
    }

    @Test
    void tcpWithoutChannelsGetsZeroAndOne() {
        assertThat(Transport.chooseForServer("RTP/AVP/TCP;unicast").orElseThrow().interleaved())
                .isEqualTo(new Transport.PortPair(0, 1));
    }

    @Test
    void udpNeedsClientPortsAndAnswersServerPorts() {
        Transport t = Transport.chooseForServer("RTP/AVP;unicast;client_port=5000-5001").orElseThrow();
        assertThat(t.tcp()).isFalse();
        assertThat(t.answer(1, new Transport.PortPair(6000, 6001)).format())
                .isEqualTo("RTP/AVP;unicast;client_port=5000-5001;server_port=6000-6001;ssrc=00000001");
        assertThat(Transport.chooseForServer("RTP/AVP;unicast")).isEmpty();
    }

    @Test
    void serverTakesTheFirstSupportedAlternativeAndRefusesMulticast() {
        assertThat(Transport.chooseForServer("RTP/AVP;multicast")).isEmpty();
        assertThat(Transport.chooseForServer("RTP/SAVP;unicast;client_port=1-2, RTP/AVP/TCP;interleaved=0-1")
                .orElseThrow().tcp()).isTrue();
        assertThat(Transport.chooseForServer(null)).isEmpty();
        assertThat(Transport.chooseForServer("RTP/AVP;unicast;client_port=x-y")).isEmpty();
    }

    @Test
    void readsCameraAnswersInTheirShapes() {
        // Hikvision: lower-case hex ssrc and a quoted mode
        Transport hik = Transport.parse("RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=6b8b4567;mode=\"play\"");
        assertThat(hik.tcp()).isTrue();
        assertThat(hik.ssrc().getAsLong()).isEqualTo(0x6b8b4567L);
        assertThat(hik.mode()).isEqualTo("PLAY");
        // Axis (GStreamer server): ssrc in upper case, channels elsewhere than 0-1
        Transport axis = Transport.parse("RTP/AVP/TCP;unicast;interleaved=4-5;ssrc=D1C5D4E7;mode=\"PLAY\"");
        assertThat(axis.interleaved()).isEqualTo(new Transport.PortPair(4, 5));
        // a UDP answer with source and server ports
        Transport udp = Transport.parse("RTP/AVP;unicast;client_port=5000-5001;source=10.0.0.2;server_port=6970-6971");
        assertThat(udp.tcp()).isFalse();
        assertThat(udp.serverPort()).isEqualTo(new Transport.PortPair(6970, 6971));
        // one channel only: RTCP on the next
        assertThat(Transport.parse("RTP/AVP/TCP;interleaved=6").interleaved()).isEqualTo(new Transport.PortPair(6, 7));
    }

    @Test
    void clientRequestRoundTrips() {
        Transport t = Transport.tcpInterleaved(0);
        assertThat(t.format()).isEqualTo("RTP/AVP/TCP;unicast;interleaved=0-1");
        assertThat(Transport.parse(t.format())).isEqualTo(t);
        assertThat(Transport.parseList("RTP/AVP/TCP;interleaved=0-1, RTP/AVP;unicast;client_port=4588-4589"))
                .extracting(Transport::tcp).isEqualTo(List.of(true, false));
    }

    @Test
    void malformedValuesAreParseErrors() {
        for (String bad : new String[] {"", "HTTP/1.1", "RTP/AVP/SCTP", "RTP/AVP/TCP;interleaved=300-301",
                "RTP/AVP;client_port=70000", "RTP/AVP/TCP;ssrc=XYZ", "RTP/AVP/TCP;ssrc=123456789",
                "RTP/AVP;client_port=-"}) {
            assertThatThrownBy(() -> Transport.parseList(bad)).as(bad).isInstanceOf(RtspParseException.class);
        }
    }
}
