package org.vigie.base;

import java.time.Duration;

/**
 * Capped exponential backoff, the one of the project (ingest supervisor, ONVIF resolution, ONVIF event
 * subscriptions): min, 2·min, 4·min ... max, max ...; {@link #reset()} goes back to min. A zero min (retry at once)
 * is followed by {@link #AFTER_ZERO}, since doubling zero never grows.
 * Not thread-safe: confined to its owner's lock or thread.
 */
public final class Backoff {

    /** The delay after a zero one. */
    public static final Duration AFTER_ZERO = Duration.ofMillis(100);

    private final Duration min;
    private final Duration max;
    private Duration next;

    public Backoff(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 <= min <= max: " + min + ", " + max);
        }
        this.min = min;
        this.max = max;
        this.next = min;
    }

    /** The delay to wait now; doubles the following one, up to max. */
    public Duration next() {
        Duration d = next;
        Duration doubled = next.isZero() ? AFTER_ZERO : next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return d;
    }

    /** The delay {@link #next()} will return, without moving on. */
    public Duration peek() {
        return next;
    }

    public void reset() {
        next = min;
    }
}
