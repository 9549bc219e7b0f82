package org.vigie.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransportSpecTest {

    @Test
    void tcpInterleavedChannelsAreEchoed() {
        TransportSpec t = TransportSpec.choose("RTP/AVP/TCP;unicast;interleaved=2-3").orElseThrow();
        assertThat(t.tcp()).isTrue();
        assertThat(t.answer(0x1A2B, 0, 0)).isEqualTo("RTP/AVP/TCP;unicast;interleaved=2-3;ssrc=00001A2B");
    }

    @Test
    void tcpWithoutChannelsGetsZeroAndOne() {
        assertThat(TransportSpec.choose("RTP/AVP/TCP;unicast").orElseThrow().rtpChannel()).isZero();
    }

    @Test
    void udpNeedsClientPortsAndAnswersServerPorts() {
        TransportSpec t = TransportSpec.choose("RTP/AVP;unicast;client_port=5000-5001").orElseThrow();
        assertThat(t.tcp()).isFalse();
        assertThat(t.answer(1, 6000, 6001))
                .isEqualTo("RTP/AVP;unicast;client_port=5000-5001;server_port=6000-6001;ssrc=00000001");
        assertThat(TransportSpec.choose("RTP/AVP;unicast")).isEmpty();
    }

    @Test
    void firstSupportedAlternativeWinsAndMulticastIsRefused() {
        assertThat(TransportSpec.choose("RTP/AVP;multicast").isEmpty()).isTrue();
        assertThat(TransportSpec.choose("RTP/SAVP;unicast;client_port=1-2, RTP/AVP/TCP;interleaved=0-1")
                .orElseThrow().tcp()).isTrue();
        assertThat(TransportSpec.choose(null)).isEmpty();
        assertThat(TransportSpec.choose("RTP/AVP;unicast;client_port=x-y")).isEmpty();
    }
}
