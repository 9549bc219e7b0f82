package org.vigie.rtsp.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vigie.rtsp.RtspParseException;

class PublicMethodsAndCSeqTest {

    @Test
    void publicListsTheMethodsCaseInsensitively() {
        PublicMethods p = PublicMethods.parse("OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, get_parameter");
        assertThat(p.supports("GET_PARAMETER")).isTrue();
        assertThat(p.supports("SET_PARAMETER")).isFalse();
        assertThat(PublicMethods.parse(null)).isEqualTo(PublicMethods.UNKNOWN);
        assertThat(PublicMethods.UNKNOWN.supports("OPTIONS")).isFalse();
        assertThat(PublicMethods.parse(p.format())).isEqualTo(p);
        assertThatThrownBy(() -> PublicMethods.parse("OPTIONS, DE SCRIBE")).isInstanceOf(RtspParseException.class);
    }

    @Test
    void cseqCountsFromOneAndParsesStrictly() {
        CSeq c = new CSeq();
        assertThat(c.next()).isEqualTo(1);
        assertThat(c.next()).isEqualTo(2);
        assertThat(CSeq.parse(" 42 ")).isEqualTo(42);
        for (String bad : new String[] {"", "-1", "1.0", "x", "99999999999"}) {
            assertThatThrownBy(() -> CSeq.parse(bad)).as(bad).isInstanceOf(RtspParseException.class);
        }
        assertThatThrownBy(() -> CSeq.parse(null)).isInstanceOf(RtspParseException.class);
    }
}
