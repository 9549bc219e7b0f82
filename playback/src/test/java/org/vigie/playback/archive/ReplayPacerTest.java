package org.vigie.playback.archive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayPacerTest {

    static final long MS = 1_000_000;

    @Test
    void pacesFramesAtRealTimeTimesScale() {
        ReplayPacer p = new ReplayPacer(2.0, true, 2_000_000);
        long now = 1_000 * MS;
        assertThat(p.delayNanos(10_000_000, now)).isZero();
        assertThat(p.takeDiscontinuity()).isTrue();
        assertThat(p.delayNanos(10_040_000, now)).isEqualTo(20 * MS); // 40 ms of media at 2x
        assertThat(p.delayNanos(10_040_000, now + 15 * MS)).as("asked again while waiting").isEqualTo(5 * MS);
        assertThat(p.takeDiscontinuity()).isFalse();
    }

    @Test
    void aRecordingGapIsSkippedAndMarkedAsADiscontinuity() {
        ReplayPacer p = new ReplayPacer(1.0, true, 2_000_000);
        p.delayNanos(0, 0);
        p.takeDiscontinuity();
        assertThat(p.delayNanos(60_000_000, 40 * MS)).as("a minute of gap is not waited for").isZero();
        assertThat(p.takeDiscontinuity()).isTrue();
        assertThat(p.delayNanos(60_040_000, 40 * MS)).isEqualTo(40 * MS);
    }

    @Test
    void aSenderFarBehindReanchorsInsteadOfBursting() {
        ReplayPacer p = new ReplayPacer(1.0, true, 2_000_000);
        p.delayNanos(0, 0);
        assertThat(p.delayNanos(40_000, 2_000 * MS)).isZero();
        assertThat(p.delayNanos(80_000, 2_000 * MS)).as("paced again from the stall").isEqualTo(40 * MS);
    }

    @Test
    void withoutRateControlEveryFrameIsDueAtOnce() {
        ReplayPacer p = new ReplayPacer(1.0, false, 2_000_000);
        assertThat(p.delayNanos(0, 0)).isZero();
        assertThat(p.delayNanos(1_000_000, 0)).isZero();
    }
}
