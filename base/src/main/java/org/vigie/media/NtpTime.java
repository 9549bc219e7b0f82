package org.vigie.media;

/**
 * Converts between UTC microseconds since 1970 and 64-bit NTP timestamps (seconds since 1900 in the high 32 bits,
 * binary fraction in the low 32 bits), as the recorder stores them in {@code prft} and RTCP sender reports carry
 * them (RFC 3550 section 4): the project's one NTP time helper. The round trip micros → NTP → micros is exact.
 *
 * <p>The 32-bit seconds wrap in 2036; as in RFC 4330 §3, a value whose most significant bit is 0 is read as
 * belonging to the next era, so times from 1968 to 2104 are represented.
 */
public final class NtpTime {

    /** Seconds from 1900-01-01 to 1970-01-01. */
    static final long UNIX_EPOCH_NTP_SECONDS = 2_208_988_800L;

    private NtpTime() {
    }

    public static long fromMicros(long unixMicros) {
        long seconds = Math.floorDiv(unixMicros, 1_000_000L);
        long rem = Math.floorMod(unixMicros, 1_000_000L);
        long fraction = ((rem << 32) + 999_999L) / 1_000_000L; // ceiling, so toMicros floors back to rem
        return (((seconds + UNIX_EPOCH_NTP_SECONDS) & 0xffffffffL) << 32) | fraction;
    }

    /** The NTP timestamp of an instant, to the microsecond. */
    public static long fromInstant(java.time.Instant t) {
        return fromMicros(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000));
    }

    /**
     * UTC µs since 1970 of a time given in nanoseconds since 1900 (read unsigned), the form GStreamer's
     * {@code timestamp/x-ntp} reference-timestamp meta takes after RTCP sender-report synchronisation.
     */
    public static long microsFromNanosSince1900(long nanosSince1900) {
        return Long.divideUnsigned(nanosSince1900, 1000) - UNIX_EPOCH_NTP_SECONDS * 1_000_000L;
    }

    public static long toMicros(long ntp) {
        long ntpSeconds = ntp >>> 32;
        if ((ntpSeconds & 0x8000_0000L) == 0) {
            ntpSeconds += 1L << 32; // era 1: 2036-02-07 onwards
        }
        long seconds = ntpSeconds - UNIX_EPOCH_NTP_SECONDS;
        long fraction = ntp & 0xffffffffL;
        return seconds * 1_000_000L + ((fraction * 1_000_000L) >>> 32);
    }
}
