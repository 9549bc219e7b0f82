package org.vigie.ingest;

import org.vigie.base.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a {@link CameraSupervisor}. Immutable.
 *
 * @param backoffMin   first retry delay
 * @param backoffMax   cap of the retry delay
 * @param stablePeriod a session that streamed this long resets the backoff to {@code backoffMin}
 * @param noDataTimeout watchdog: a session without a frame for this long (including while connecting) fails
 *                      with {@link IngestErrorKind#NO_DATA}
 * @param rateWindowSeconds sliding window of the fps and bitrate figures
 */
public record SupervisorSettings(Duration backoffMin, Duration backoffMax, Duration stablePeriod,
                                 Duration noDataTimeout, int rateWindowSeconds) {

    public SupervisorSettings {
        Objects.requireNonNull(backoffMin);
        Objects.requireNonNull(backoffMax);
        Objects.requireNonNull(stablePeriod);
        Objects.requireNonNull(noDataTimeout);
        if (backoffMin.isNegative() || backoffMin.isZero()) {
            throw new IllegalArgumentException("backoffMin must be positive (no reconnection loop): " + backoffMin);
        }
        new Backoff(backoffMin, backoffMax); // validates min <= max
        if (noDataTimeout.isNegative() || noDataTimeout.isZero()) {
            throw new IllegalArgumentException("noDataTimeout must be positive");
        }
    }

    /** 1 s → 30 s backoff, reset after 60 s of streaming, 10 s no-data watchdog, 5 s rate window. */
    public static SupervisorSettings defaults() {
        return new SupervisorSettings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofSeconds(10), 5);
    }

    public SupervisorSettings withBackoff(Duration min, Duration max) {
        return new SupervisorSettings(min, max, stablePeriod, noDataTimeout, rateWindowSeconds);
    }

    public SupervisorSettings withNoDataTimeout(Duration d) {
        return new SupervisorSettings(backoffMin, backoffMax, stablePeriod, d, rateWindowSeconds);
    }
}
