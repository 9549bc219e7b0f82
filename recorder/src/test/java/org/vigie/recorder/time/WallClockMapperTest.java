package org.vigie.recorder.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.InstantSource;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WallClockMapperTest {

    private static final long T0 = 1_767_225_600_000_000L;
    private static final long FRAME_TICKS = 3600; // 25 fps
    private static final long FRAME_MICROS = 40_000;

    /** An injected clock the test moves by hand. */
    private static final class ManualClock implements InstantSource {
        long micros = T0;

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
        }
    }

    private static WallClockMapper mapper(InstantSource clock, long notBefore) {
        return new WallClockMapper(clock, WallClockMapper.Settings.DEFAULT, notBefore);
    }

    @Test
    void firstFrameIsAnchoredOnTheArrivalInstant() {
        ManualClock clock = new ManualClock();
        assertThat(mapper(clock, 0).wallMicros(123_456)).isEqualTo(T0);
    }

    @Test
    void firstFrameIsAnchoredOnTheSenderNtpTimeWhenGiven() {
        assertThat(mapper(new ManualClock(), 0).wallMicros(0, T0 - 2_000_000)).isEqualTo(T0 - 2_000_000);
    }

    @Test
    void arrivalJitterMovesWallTimeByAtMostTheCorrectionRate() {
        ManualClock clock = new ManualClock();
        WallClockMapper m = mapper(clock, 0);
        SplittableRandom rnd = new SplittableRandom(1);
        long prev = m.wallMicros(0);
        for (int i = 1; i < 10_000; i++) {
            clock.micros = T0 + i * FRAME_MICROS + rnd.nextLong(0, 200_000); // up to 200 ms of network jitter
            long w = m.wallMicros(i * FRAME_TICKS);
            long step = w - prev;
            assertThat(step).isBetween(FRAME_MICROS - 40, FRAME_MICROS + 40); // 1000 ppm of 40 ms
            prev = w;
        }
        assertThat(m.reanchors()).isZero();
    }

    @Test
    void cameraClockDriftWithinTheRateIsFollowed() {
        ManualClock clock = new ManualClock();
        WallClockMapper m = mapper(clock, 0);
        // the camera's clock runs 500 ppm fast: its media time says 40 ms while 39.98 ms elapse on the server
        long last = 0;
        for (int i = 0; i < 90_000; i++) { // one hour
            clock.micros = T0 + Math.round(i * FRAME_MICROS * (1 - 500e-6));
            last = m.wallMicros(i * FRAME_TICKS);
        }
        assertThat(Math.abs(last - clock.micros)).isLessThan(FRAME_MICROS); // without correction: 1.8 s off
        assertThat(m.reanchors()).isZero();
    }

    @Test
    void driftBeyondTheRateIsCorrectedAtTheRateOnly() {
        ManualClock clock = new ManualClock();
        WallClockMapper m = mapper(clock, 0);
        long last = 0;
        for (int i = 0; i < 25 * 600; i++) { // 10 minutes, camera 3000 ppm slow
            clock.micros = T0 + Math.round(i * FRAME_MICROS * (1 + 3000e-6));
            last = m.wallMicros(i * FRAME_TICKS);
        }
        long media = (25 * 600 - 1) * FRAME_MICROS;
        // corrected by at most 1000 ppm of the elapsed media time
        assertThat(last - T0 - media).isBetween(0L, media / 1000 + 1);
        assertThat(clock.micros - last).isGreaterThan(0);
    }

    @Test
    void aJumpBeyondTheThresholdReanchors() {
        ManualClock clock = new ManualClock();
        WallClockMapper m = mapper(clock, 0);
        m.wallMicros(0);
        clock.micros = T0 + FRAME_MICROS;
        m.wallMicros(FRAME_TICKS);
        clock.micros = T0 + 60_000_000; // the camera stalled a minute within the same session
        assertThat(m.wallMicros(2 * FRAME_TICKS)).isEqualTo(T0 + 60_000_000);
        assertThat(m.reanchors()).isEqualTo(1);
        clock.micros = T0 + 9_000_000; // server clock stepped back 51 s: re-anchor, but still increasing
        long w = m.wallMicros(3 * FRAME_TICKS);
        assertThat(m.reanchors()).isEqualTo(2);
        assertThat(w).isEqualTo(T0 + 60_000_001);
    }

    @Test
    void outputStrictlyIncreasesEvenWhenMediaTimeStalls() {
        ManualClock clock = new ManualClock();
        WallClockMapper m = mapper(clock, 0);
        long a = m.wallMicros(1000);
        long b = m.wallMicros(1000);
        long c = m.wallMicros(1000);
        assertThat(b).isGreaterThan(a);
        assertThat(c).isGreaterThan(b);
    }

    @Test
    void outputNeverPrecedesNotBeforeAndThenFollowsMediaTime() {
        ManualClock clock = new ManualClock();
        long notBefore = T0 + 5_000_000; // the previous segment ended 5 s in our future (server clock stepped back)
        WallClockMapper m = mapper(clock, notBefore);
        assertThat(m.wallMicros(0)).isEqualTo(notBefore);
        clock.micros += FRAME_MICROS;
        long second = m.wallMicros(FRAME_TICKS);
        assertThat(second).isBetween(notBefore + FRAME_MICROS - 40, notBefore + FRAME_MICROS);
    }

    @Test
    void mediaTimeGoingBackwardsIsRefused() {
        WallClockMapper m = mapper(new ManualClock(), 0);
        m.wallMicros(10_000);
        assertThatThrownBy(() -> m.wallMicros(9_999)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new WallClockMapper.Settings(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WallClockMapper.Settings(1000, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
