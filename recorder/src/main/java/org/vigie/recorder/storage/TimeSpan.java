package org.vigie.recorder.storage;

import java.time.Duration;
import java.time.Instant;

/** A half-open interval of wall time {@code [start, end)}. */
public record TimeSpan(Instant start, Instant end) {

    public TimeSpan {
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("span ends before it starts: " + start + " > " + end);
        }
    }

    public Duration duration() {
        return Duration.between(start, end);
    }
}
