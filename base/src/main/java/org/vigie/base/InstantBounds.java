package org.vigie.base;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The range of dates a client may give (API query parameters and bodies, the streaming protocol, RTSP URLs and
 * {@code Range} headers): {@link #MIN} to {@link #MAX}, both included. Within it every date converts to epoch
 * microseconds and back without overflow, and an interval between two of them to nanoseconds; outside it a date
 * is a client's error, refused before it reaches the recorder, the legal holds or the audit trail (a hold dated
 * year -300000 once overflowed inside the retention sweeper). Stateless.
 */
public final class InstantBounds {

    /** The earliest date accepted: the Unix epoch. */
    public static final Instant MIN = Instant.parse("1970-01-01T00:00:00Z");
    /** The latest date accepted. */
    public static final Instant MAX = Instant.parse("2100-01-01T00:00:00Z");
    /** How a refusal describes the range. */
    public static final String RANGE = "between " + MIN + " and " + MAX;
    /** How a refusal describes what is expected. */
    public static final String EXPECTED = "an ISO-8601 UTC instant " + RANGE + ", such as 2026-01-31T12:00:00Z";

    private InstantBounds() {
    }

    public static boolean contains(Instant t) {
        return !t.isBefore(MIN) && !t.isAfter(MAX);
    }

    /**
     * An ISO-8601 UTC instant ({@code 2026-01-31T12:00:00Z}) within the range.
     *
     * @throws DateTimeException not an instant, or outside the range (the message says which)
     */
    public static Instant parse(String text) {
        Instant t;
        try {
            t = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new DateTimeException("not an ISO-8601 UTC instant such as 2026-01-31T12:00:00Z: '" + shorten(text)
                    + "'", e);
        }
        return check(t);
    }

    /** {@code t} itself when within the range; a {@link DateTimeException} naming the range otherwise. */
    public static Instant check(Instant t) {
        if (!contains(t)) {
            throw new DateTimeException(t + " is out of range: dates must be " + RANGE);
        }
        return t;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
