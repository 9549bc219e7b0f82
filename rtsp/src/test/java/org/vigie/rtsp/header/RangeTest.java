package org.vigie.rtsp.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.vigie.rtsp.RtspParseException;

class RangeTest {

    @Test
    void parsesOnvifClockRangesWithAndWithoutFractionsAndEnd() {
        Range r = Range.parse("clock=20261125T221500Z-");
        assertThat(r.clock()).isTrue();
        assertThat(r.start()).isEqualTo(Instant.parse("2026-11-25T22:15:00Z"));
        assertThat(r.end()).isNull();
        Range s = Range.parse("clock=20261125T221500.25Z-20261125T221600Z");
        assertThat(s.start()).isEqualTo(Instant.parse("2026-11-25T22:15:00.250Z"));
        assertThat(s.end()).isEqualTo(Instant.parse("2026-11-25T22:16:00Z"));
    }

    @Test
    void parsesNptNowSecondsAndClockTimes() {
        assertThat(Range.parse("npt=now-").nptStart()).isEqualTo(-1);
        Range r = Range.parse("npt=12.5-20");
        assertThat(r.clock()).isFalse();
        assertThat(r.nptStart()).isEqualTo(12.5);
        assertThat(r.nptEnd()).isEqualTo(20);
        assertThat(Range.parse("npt=0:01:02.5-").nptStart()).isEqualTo(62.5);
        assertThat(Range.parse("npt=0.000-;time=19970123T143720Z").nptStart()).isZero();
    }

    @Test
    void refusesMalformedRanges() {
        for (String bad : new String[] {"smpte=0:10:00-", "clock=2026-", "npt=-3-", "npt=1e9-", "npt=NaN-",
                "npt=0:99:00-", "npt", "clock=20261125T22Z-"}) {
            assertThatThrownBy(() -> Range.parse(bad)).as(bad).isInstanceOf(RtspParseException.class);
        }
        assertThatThrownBy(() -> Range.parse("clock=20261125T221600Z-20261125T221500Z"))
                .hasMessageContaining("ends before");
    }

    @Test
    void formatsBack() {
        Instant t = Instant.parse("2026-11-25T22:15:00.120Z");
        assertThat(Range.formatClock(t)).isEqualTo("20261125T221500.120Z");
        assertThat(Range.parseClock(Range.formatClock(t))).isEqualTo(t);
        assertThat(Range.parseClock("2026-11-25T22:15:00.120Z")).isEqualTo(t);
        assertThat(Range.nptFrom(0).format()).isEqualTo("npt=0.000-");
        assertThat(Range.parse("clock=20261125T221500Z-").format()).isEqualTo("clock=20261125T221500.000Z-");
    }
}
