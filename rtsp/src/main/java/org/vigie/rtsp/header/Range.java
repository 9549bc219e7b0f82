package org.vigie.rtsp.header;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.vigie.rtsp.RtspParseException;

/**
 * The RTSP {@code Range} header (RFC 2326 section 12.29) in the two units cameras and ONVIF replay use:
 * {@code npt=<start>-[<end>]} (seconds, {@code h:mm:ss.fff}, or {@code now}) and {@code clock=<start>-[<end>]} with
 * absolute UTC times in the compact ISO-8601 form {@code 20261125T221500Z} (fractions allowed). Immutable.
 *
 * @param clock    true for absolute ({@code clock=}) times, false for {@code npt}
 * @param start    absolute start (clock), or null
 * @param end      absolute end (clock), or null for open-ended
 * @param nptStart seconds from the start of the presentation (npt), or -1 for {@code now}
 * @param nptEnd   seconds, or -1 for open-ended
 */
public record Range(boolean clock, Instant start, Instant end, double nptStart, double nptEnd) {

    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter COMPACT_SECONDS = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

    /** {@code npt=<seconds>-}: what a client asks in PLAY to start from the beginning (or the live edge). */
    public static Range nptFrom(double seconds) {
        return new Range(false, null, null, seconds, -1);
    }

    /** Parses a header value; a {@link RtspParseException} on anything else (a server answers 457 Invalid Range). */
    public static Range parse(String value) {
        String v = value.trim();
        int semi = v.indexOf(';'); // ";time=" parameter ignored
        if (semi >= 0) {
            v = v.substring(0, semi).trim();
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("clock=")) {
            String[] ab = splitRange(v.substring(6));
            Instant a = parseClock(ab[0]);
            Instant b = ab[1].isEmpty() ? null : parseClock(ab[1]);
            if (b != null && !b.isAfter(a)) {
                throw new RtspParseException("Range: ends before it starts: " + RtspParseException.excerpt(v));
            }
            return new Range(true, a, b, 0, -1);
        }
        if (lower.startsWith("npt=")) {
            String[] ab = splitRange(v.substring(4));
            double a = ab[0].equalsIgnoreCase("now") ? -1 : npt(ab[0]);
            double b = ab[1].isEmpty() ? -1 : npt(ab[1]);
            return new Range(false, null, null, a, b);
        }
        throw new RtspParseException("Range: unsupported unit " + RtspParseException.excerpt(v));
    }

    private static String[] splitRange(String s) {
        int dash = s.indexOf('-');
        if (dash < 0) {
            throw new RtspParseException("Range: no '-' in " + RtspParseException.excerpt(s));
        }
        return new String[] {s.substring(0, dash).trim(), s.substring(dash + 1).trim()};
    }

    private static double npt(String s) {
        try {
            double d;
            if (s.contains(":")) { // h:mm:ss(.fff)
                String[] p = s.split(":", -1);
                if (p.length != 3) {
                    throw new NumberFormatException();
                }
                d = HeaderValues.parseInt("Range", p[0], 0, 1_000_000) * 3600.0
                        + HeaderValues.parseInt("Range", p[1], 0, 59) * 60.0 + decimal(p[2]);
            } else {
                d = decimal(s);
            }
            return d;
        } catch (NumberFormatException | RtspParseException e) {
            throw new RtspParseException("Range: bad npt time " + RtspParseException.excerpt(s));
        }
    }

    /** Digits with an optional fraction; no sign, exponent, NaN or infinity. */
    private static double decimal(String s) {
        if (s.isEmpty() || s.length() > 32 || !s.matches("[0-9]+(\\.[0-9]*)?")) {
            throw new NumberFormatException(s);
        }
        return Double.parseDouble(s);
    }

    /** An absolute time: compact {@code 20261125T221500[.fff]Z} or ISO-8601 {@code 2026-11-25T22:15:00Z}. */
    public static Instant parseClock(String s) {
        String t = s.trim();
        try {
            if (t.contains("-")) {
                return Instant.parse(t);
            }
            if (!t.endsWith("Z") || t.length() < 16 || t.charAt(8) != 'T') {
                throw new DateTimeParseException("", t, 0);
            }
            Instant i = LocalDateTime.parse(t.substring(0, 15), COMPACT_SECONDS).toInstant(ZoneOffset.UTC);
            String frac = t.substring(15, t.length() - 1);
            if (!frac.isEmpty()) {
                if (frac.charAt(0) != '.' || frac.length() > 10 || !frac.substring(1).chars().allMatch(Character::isDigit)) {
                    throw new DateTimeParseException("", t, 15);
                }
                String digits = (frac.substring(1) + "000000000").substring(0, 9);
                i = i.plusNanos(Long.parseLong(digits));
            }
            return i;
        } catch (DateTimeException | NumberFormatException e) {
            throw new RtspParseException("Range: bad clock time " + RtspParseException.excerpt(s)
                    + " (expected e.g. 20261125T221500Z)");
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

    /** The header value. */
    public String format() {
        if (clock) {
            return clockRange(start, end);
        }
        String a = nptStart < 0 ? "now" : String.format(Locale.ROOT, "%.3f", nptStart);
        String b = nptEnd < 0 ? "" : String.format(Locale.ROOT, "%.3f", nptEnd);
        return "npt=" + a + "-" + b;
    }
}
