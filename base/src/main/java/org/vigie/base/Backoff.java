package org.vigie.base;

import java.time.Duration;

/**
 * Capped exponential backoff: min, 2·min, 4·min ... max, max ...; {@link #reset()} goes back to min.
 * Not thread-safe: confined to its supervisor's lock.
 */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private Duration next;

    public Backoff(Duration min, Duration max) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 < min <= max: " + min + ", " + max);
        }
        this.min = min;
        this.max = max;
        this.next = min;
    }

    /** The delay to wait now; doubles the following one, up to max. */
    public Duration next() {
        Duration d = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return d;
    }

    public void reset() {
        next = min;
    }
}
