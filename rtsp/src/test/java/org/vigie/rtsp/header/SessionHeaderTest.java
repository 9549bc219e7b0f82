package org.vigie.rtsp.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vigie.rtsp.RtspParseException;

class SessionHeaderTest {

    @Test
    void readsIdAndTimeoutInTheShapesCamerasSend() {
        assertThat(SessionHeader.parse("12345678;timeout=60")).isEqualTo(new SessionHeader("12345678", 60));
        assertThat(SessionHeader.parse("  AbCdEf0123 ; Timeout = 30")).isEqualTo(new SessionHeader("AbCdEf0123", 30));
        assertThat(SessionHeader.parse("f3a1b2c3")).isEqualTo(new SessionHeader("f3a1b2c3", 60));
        // an unreadable timeout falls back to RFC 2326's default
        assertThat(SessionHeader.parse("abc;timeout=soon").timeoutSeconds()).isEqualTo(60);
        assertThat(SessionHeader.parse("abc;timeout=0").timeoutSeconds()).isEqualTo(60);
    }

    @Test
    void keepAliveIsHalfTheTimeoutAndAtLeastOneSecond() {
        assertThat(new SessionHeader("a", 60).keepAliveSeconds()).isEqualTo(30);
        assertThat(new SessionHeader("a", 1).keepAliveSeconds()).isEqualTo(1);
    }

    @Test
    void idOfDropsTheParameters() {
        assertThat(SessionHeader.idOf("abc;timeout=5")).isEqualTo("abc");
        assertThat(SessionHeader.idOf(null)).isNull();
        assertThat(new SessionHeader("abc", 5).format()).isEqualTo("abc;timeout=5");
    }

    @Test
    void missingOrUnprintableIdsAreParseErrors() {
        for (String bad : new String[] {"", ";timeout=60", "a b", "a\u0001", "x".repeat(300)}) {
            assertThatThrownBy(() -> SessionHeader.parse(bad)).as(bad).isInstanceOf(RtspParseException.class);
        }
        assertThatThrownBy(() -> SessionHeader.parse(null)).isInstanceOf(RtspParseException.class);
    }
}
