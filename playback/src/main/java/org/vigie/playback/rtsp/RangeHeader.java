package org.vigie.playback.rtsp;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.vigie.base.InstantBounds;

/**
 * The RTSP {@code Range} header (RFC 2326 section 12.29) as ONVIF replay uses it: {@code clock=<start>-[<end>]}
 * with absolute UTC times in the compact ISO-8601 form {@code 20261125T221500Z} (fractions allowed), and
 * {@code npt=<seconds>-[<end>]} or {@code npt=now-}. Immutable.
 *
 * @param clock    true for absolute ({@code clock=}) times, false for {@code npt}
 * @param start    absolute start (clock), or null
 * @param end      absolute end (clock), or null for open-ended
 * @param nptStart seconds from the start of the presentation (npt), or -1 for {@code now}
 * @param nptEnd   seconds, or -1 for open-ended
 */
public record RangeHeader(boolean clock, Instant start, Instant end, double nptStart, double nptEnd) {

    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Parses a header value; throws IllegalArgumentException on anything else (a 457 Invalid Range). */
    public static RangeHeader parse(String value) {
        String v = value.trim();
        int semi = v.indexOf(';'); // ";time=" parameter ignored
        if (semi >= 0) v = v.substring(0, semi).trim();
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("clock=")) {
            String[] ab = splitRange(v.substring(6));
            Instant a = parseClock(ab[0]);
            Instant b = ab[1].isEmpty() ? null : parseClock(ab[1]);
            if (b != null && !b.isAfter(a)) throw new IllegalArgumentException("range ends before it starts: " + v);
            return new RangeHeader(true, a, b, 0, -1);
        }
        if (lower.startsWith("npt=")) {
            String[] ab = splitRange(v.substring(4));
            double a = ab[0].equalsIgnoreCase("now") ? -1 : npt(ab[0]);
            double b = ab[1].isEmpty() ? -1 : npt(ab[1]);
            return new RangeHeader(false, null, null, a, b);
        }
        throw new IllegalArgumentException("unsupported range unit: " + v);
    }

    private static String[] splitRange(String s) {
        int dash = s.indexOf('-');
        if (dash < 0) throw new IllegalArgumentException("range without '-': " + s);
        return new String[] {s.substring(0, dash).trim(), s.substring(dash + 1).trim()};
    }

    private static double npt(String s) {
        try {
            double d;
            if (s.contains(":")) { // h:mm:ss(.fff)
                String[] p = s.split(":");
                d = Integer.parseInt(p[0]) * 3600.0 + Integer.parseInt(p[1]) * 60.0 + Double.parseDouble(p[2]);
            } else {
                d = Double.parseDouble(s);
            }
            if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("bad npt time '" + s + "'");
        }
    }

    /**
     * An absolute time: compact {@code 20261125T221500[.fff]Z} or ISO-8601 {@code 2026-11-25T22:15:00Z}, within
     * {@link InstantBounds}.
     */
    public static Instant parseClock(String s) {
        Instant t = parseAnyClock(s);
        if (!InstantBounds.contains(t)) {
            throw new IllegalArgumentException("clock time '" + s + "' is out of range: dates must be "
                    + InstantBounds.RANGE);
        }
        return t;
    }

    private static Instant parseAnyClock(String s) {
        String t = s.trim();
        try {
            if (t.contains("-")) {
                return Instant.parse(t);
            }
            if (!t.endsWith("Z") || t.length() < 16 || t.charAt(8) != 'T') throw new DateTimeParseException("", t, 0);
            LocalDateTime base = LocalDateTime.parse(t.substring(0, 15), DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"));
            Instant i = base.toInstant(ZoneOffset.UTC);
            String frac = t.substring(15, t.length() - 1);
            if (!frac.isEmpty()) {
                if (frac.charAt(0) != '.' || frac.length() > 10 || !frac.substring(1).chars().allMatch(Character::isDigit)) {
                    throw new DateTimeParseException("", t, 15);
                }
                String digits = (frac.substring(1) + "000000000").substring(0, 9);
                i = i.plusNanos(Long.parseLong(digits));
            }
            return i;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("bad clock time '" + s + "' (expected e.g. 20261125T221500Z)");
        }
    }

    /** The compact ONVIF form with milliseconds, {@code 20261125T221500.120Z}. */
    public static String formatClock(Instant t) {
        return COMPACT.format(t);
    }

    /** {@code clock=<start>-[<end>]}. */
    public static String clockRange(Instant start, Instant end) {
        return "clock=" + formatClock(start) + "-" + (end == null ? "" : formatClock(end));
    }
}
