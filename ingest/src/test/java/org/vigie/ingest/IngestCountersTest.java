package org.vigie.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/** Sliding-window rates driven by an injected clock. */
class IngestCountersTest {

    static final class ManualClock implements InstantSource {
        long millis = 1_764_000_000_000L;

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void ratesCoverTheLastCompleteSecondsOnly() {
        ManualClock clock = new ManualClock();
        IngestCounters c = new IngestCounters(clock, 5);
        for (int s = 0; s < 10; s++) {
            for (int f = 0; f < 25; f++) {
                c.frameDelivered(1000);
                clock.millis += 40;
            }
        }
        assertThat(c.fps()).isCloseTo(25.0, within(0.01));
        assertThat(c.bitrate()).isCloseTo(25 * 1000 * 8.0, within(0.1));
        assertThat(c.frames()).isEqualTo(250);
        assertThat(c.bytes()).isEqualTo(250_000);
        clock.millis += 3_000; // camera stalls: the window drains
        assertThat(c.fps()).isCloseTo(10.0, within(0.01));
        clock.millis += 10_000;
        assertThat(c.fps()).isZero();
        assertThat(c.lastFrameMillis()).isEqualTo(1_764_000_000_000L + 10_000 - 40);
    }

    @Test
    void countsDropsAndReconnects() {
        IngestCounters c = new IngestCounters(new ManualClock(), 5);
        c.frameDropped();
        c.reconnected();
        c.reconnected();
        assertThat(c.dropped()).isEqualTo(1);
        assertThat(c.reconnects()).isEqualTo(2);
    }
}
