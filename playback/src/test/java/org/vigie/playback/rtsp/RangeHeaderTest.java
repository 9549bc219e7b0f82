package org.vigie.playback.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RangeHeaderTest {

    @Test
    void parsesOnvifClockRangesWithAndWithoutFractionsAndEnd() {
        RangeHeader r = RangeHeader.parse("clock=20261125T221500Z-");
        assertThat(r.clock()).isTrue();
        assertThat(r.start()).isEqualTo(Instant.parse("2026-11-25T22:15:00Z"));
        assertThat(r.end()).isNull();
        RangeHeader s = RangeHeader.parse("clock=20261125T221500.25Z-20261125T221600Z");
        assertThat(s.start()).isEqualTo(Instant.parse("2026-11-25T22:15:00.250Z"));
        assertThat(s.end()).isEqualTo(Instant.parse("2026-11-25T22:16:00Z"));
    }

    @Test
    void parsesNptNowAndSeconds() {
        assertThat(RangeHeader.parse("npt=now-").nptStart()).isEqualTo(-1);
        RangeHeader r = RangeHeader.parse("npt=12.5-20");
        assertThat(r.clock()).isFalse();
        assertThat(r.nptStart()).isEqualTo(12.5);
        assertThat(r.nptEnd()).isEqualTo(20);
        assertThat(RangeHeader.parse("npt=0:01:02.5-").nptStart()).isEqualTo(62.5);
    }

    @Test
    void refusesMalformedRanges() {
        assertThatThrownBy(() -> RangeHeader.parse("smpte=0:10:00-")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RangeHeader.parse("clock=2026-")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RangeHeader.parse("clock=20261125T221600Z-20261125T221500Z"))
                .hasMessageContaining("ends before");
        assertThatThrownBy(() -> RangeHeader.parse("npt=-3-")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsTheCompactFormBack() {
        Instant t = Instant.parse("2026-11-25T22:15:00.120Z");
        assertThat(RangeHeader.formatClock(t)).isEqualTo("20261125T221500.120Z");
        assertThat(RangeHeader.parseClock(RangeHeader.formatClock(t))).isEqualTo(t);
        assertThat(RangeHeader.parseClock("2026-11-25T22:15:00.120Z")).isEqualTo(t);
    }
}
