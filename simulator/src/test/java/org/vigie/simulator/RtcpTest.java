package org.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtcpTest {

    @Test
    void ntpTimestampRoundTripsAndUsesThe1900Epoch() {
        Instant t = Instant.parse("2031-03-04T05:06:07.123456789Z");
        long ntp = Rtcp.ntpTimestamp(t);
        assertThat(ntp >>> 32).isEqualTo(t.getEpochSecond() + 2_208_988_800L);
        assertThat(Rtcp.instantOfNtp(ntp)).isBetween(t.minusNanos(1), t.plusNanos(1));
    }

    @Test
    void senderReportIsACompoundPacketWithSdesCname() {
        Instant t = Instant.parse("2030-01-01T00:00:00.5Z");
        byte[] sr = Rtcp.senderReport(0x11223344, t, 0x99887766, 1234, 567890, "cam-001@vigie-simulator");
        assertThat(sr.length % 4).isZero();
        ByteBuffer b = ByteBuffer.wrap(sr);
        assertThat(b.get() & 0xFF).isEqualTo(0x80);
        assertThat(b.get() & 0xFF).isEqualTo(200);
        assertThat(b.getShort()).isEqualTo((short) 6);
        assertThat(b.getInt()).isEqualTo(0x11223344);
        assertThat(Rtcp.instantOfNtp(b.getLong())).isEqualTo(t);
        assertThat(b.getInt()).isEqualTo(0x99887766);
        assertThat(b.getInt()).isEqualTo(1234);
        assertThat(b.getInt()).isEqualTo(567890);
        Rtcp.Received parsed = Rtcp.parse(sr, 0, sr.length);
        assertThat(parsed.valid()).isTrue();
        assertThat(parsed.packetTypes()).containsExactly(200, 202);
    }

    @Test
    void receiverReportBlocksNameTheReportedStreams() {
        ByteBuffer rr = ByteBuffer.allocate(8 + 24 * 2);
        rr.put((byte) 0x82).put((byte) 201).putShort((short) (rr.capacity() / 4 - 1));
        rr.putInt(0xABCDEF01);
        rr.putInt(0x11111111).put(new byte[20]);
        rr.putInt(0x22222222).put(new byte[20]);
        Rtcp.Received parsed = Rtcp.parse(rr.array(), 0, rr.capacity());
        assertThat(parsed.valid()).isTrue();
        assertThat(parsed.reportedSsrcs()).containsExactly(0x11111111, 0x22222222);
    }

    @Test
    void garbageAndTruncatedPacketsAreRejectedWithoutThrowing() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            Rtcp.parse(junk, 0, junk.length); // must not throw
        }
        byte[] sr = Rtcp.senderReport(1, Instant.EPOCH, 0, 0, 0, "x");
        assertThat(Rtcp.parse(sr, 0, sr.length - 4).valid()).isFalse();
        assertThat(Rtcp.parse(new byte[] {0x00, (byte) 200, 0, 0}, 0, 4).valid()).isFalse();
    }
}
