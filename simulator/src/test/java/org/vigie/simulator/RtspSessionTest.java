package org.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RtspSessionTest {

    @Test
    void timestampsRunOnByTicksAndWrapModulo32Bits() {
        RtspSession s = new RtspSession("id", null, null, "rtsp://h/cam-001/trackID=0", null, null, -3600, 3600,
                Duration.ofSeconds(60), Instant.EPOCH);
        assertThat(s.timestampAt(0)).isEqualTo(-3600);
        assertThat(s.timestampAt(1)).isZero();
        assertThat(Integer.toUnsignedLong(s.timestampAt(1_200_000))).isEqualTo((1_199_999L * 3600) % (1L << 32));
    }
}
