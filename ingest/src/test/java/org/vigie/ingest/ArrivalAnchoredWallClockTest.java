package org.vigie.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArrivalAnchoredWallClockTest {

    static final long T0 = 1_764_000_000_000_000L;

    @Test
    void anchorsOnFirstArrivalThenFollowsMediaTimeNotJitter() {
        ArrivalAnchoredWallClock c = new ArrivalAnchoredWallClock();
        assertThat(c.toWallMicros(900_000, T0, WallClock.NO_NTP)).isEqualTo(T0);
        // 40 ms of media later, arriving 300 ms late (network jitter): media time wins
        assertThat(c.toWallMicros(903_600, T0 + 340_000, WallClock.NO_NTP)).isEqualTo(T0 + 40_000);
        assertThat(c.toWallMicros(990_000, T0 + 1_000_000, T0 - 5_000_000)).isEqualTo(T0 + 1_000_000);
    }

    @Test
    void strictlyIncreasesEvenForEqualMediaTimes() {
        ArrivalAnchoredWallClock c = new ArrivalAnchoredWallClock();
        long a = c.toWallMicros(0, T0, WallClock.NO_NTP);
        long b = c.toWallMicros(0, T0 + 10, WallClock.NO_NTP);
        long d = c.toWallMicros(0, T0 + 20, WallClock.NO_NTP);
        assertThat(b).isGreaterThan(a);
        assertThat(d).isGreaterThan(b);
    }
}
