package org.vigie.ingest;

import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Session id generator: strictly increasing, starting at the creation time in epoch microseconds, so ids of a
 * restarted process do not collide with those of the previous run (unless more than a million sessions per
 * second were opened). Thread-safe; share one per process.
 */
public final class SessionIds implements LongSupplier {

    private final AtomicLong next;

    public SessionIds(InstantSource clock) {
        java.time.Instant now = clock.instant();
        next = new AtomicLong(now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
    }

    @Override
    public long getAsLong() {
        return next.incrementAndGet();
    }
}
