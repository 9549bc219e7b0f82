package org.vigie.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NtpTimeTest {

    @Test
    void microsSurviveTheRoundTripThroughNtpExactly() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long micros = rnd.nextLong(-31_536_000_000_000L, 4_102_444_800_000_000L); // 1969 to 2100
            assertThat(NtpTime.toMicros(NtpTime.fromMicros(micros))).isEqualTo(micros);
        }
    }

    @Test
    void unixEpochIsNtpSeconds2208988800() {
        assertThat(NtpTime.fromMicros(0)).isEqualTo(2_208_988_800L << 32);
        assertThat(NtpTime.fromMicros(500_000) & 0xffffffffL).isEqualTo(1L << 31);
    }

    @Test
    void gstreamersNanosecondsSince1900AreUnixMicros() {
        // 2026-12-07T00:00:00.123456Z: 1796601600 s after 1970, i.e. 4005590400 s after 1900
        long nanos = Long.parseUnsignedLong("4005590400123456789");
        assertThat(NtpTime.microsFromNanosSince1900(nanos)).isEqualTo(1_796_601_600_123_456L);
        assertThat(NtpTime.microsFromNanosSince1900(2_208_988_800_000_000_000L)).isZero();
    }
}
