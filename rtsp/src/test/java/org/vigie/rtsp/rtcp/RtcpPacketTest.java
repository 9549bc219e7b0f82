package org.vigie.rtsp.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vigie.media.NtpTime;
import org.vigie.rtsp.RtspParseException;

/** RTCP as the project's servers write it and read their clients' receiver reports (was the simulator's own). */
class RtcpPacketTest {

    @Test
    void senderReportIsACompoundPacketWithSdesCnameAndReadsBack() {
        Instant t = Instant.parse("2030-01-01T00:00:00.5Z");
        ByteBuf b = Unpooled.buffer();
        RtcpPacket.writeSenderReport(b, new SenderReport(0x11223344, NtpTime.fromInstant(t), 0x99887766, 1234,
                567890), "cam-001@vigie-simulator");
        assertThat(b.readableBytes() % 4).isZero();
        assertThat(b.readableBytes()).isLessThanOrEqualTo(RtcpPacket.maxLength("cam-001@vigie-simulator"));
        assertThat((int) b.getUnsignedByte(0)).isEqualTo(0x80);
        assertThat((int) b.getUnsignedByte(1)).isEqualTo(200);
        assertThat(b.getShort(2)).isEqualTo((short) 6);
        assertThat(b.getLong(8) >>> 32).as("NTP seconds since 1900").isEqualTo(t.getEpochSecond() + 2_208_988_800L);
        RtcpPacket p = RtcpPacket.parse(b, 0, b.readableBytes());
        assertThat(p.types()).containsExactly(RtcpPacket.SR, RtcpPacket.SDES);
        SenderReport sr = p.senderReports().get(0);
        assertThat(sr.ssrc()).isEqualTo(0x11223344);
        assertThat(NtpTime.toMicros(sr.ntpTimestamp())).isEqualTo(t.toEpochMilli() * 1000);
        assertThat(sr.rtpTimestamp()).isEqualTo(0x99887766);
        assertThat(sr.packetCount()).isEqualTo(1234);
        assertThat(sr.octetCount()).isEqualTo(567890);
        b.release();
    }

    @Test
    void receiverReportBlocksNameTheReportedStreams() {
        ByteBuffer rr = ByteBuffer.allocate(8 + 24 * 2);
        rr.put((byte) 0x82).put((byte) 201).putShort((short) (rr.capacity() / 4 - 1));
        rr.putInt(0xABCDEF01);
        rr.putInt(0x11111111).put(new byte[20]);
        rr.putInt(0x22222222).put(new byte[20]);
        RtcpPacket p = RtcpPacket.parse(Unpooled.wrappedBuffer(rr.array()), 0, rr.capacity());
        assertThat(p.types()).containsExactly(RtcpPacket.RR);
        assertThat(p.reportedSsrcs()).containsExactly(0x11111111, 0x22222222);
    }

    @Test
    void garbageAndTruncatedPacketsAreTheLibrarysParseErrorOnly() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            try {
                RtcpPacket.parse(Unpooled.wrappedBuffer(junk), 0, junk.length);
            } catch (RtspParseException expected) {
                // the only exception allowed
            }
        }
        ByteBuf sr = Unpooled.buffer();
        RtcpPacket.writeSenderReport(sr, new SenderReport(1, 0, 0, 0, 0), "x");
        assertThatThrownBy(() -> RtcpPacket.parse(sr, 0, sr.readableBytes() - 4))
                .isInstanceOf(RtspParseException.class);
        assertThatThrownBy(() -> RtcpPacket.parse(Unpooled.wrappedBuffer(new byte[] {0x00, (byte) 200, 0, 0}), 0, 4))
                .isInstanceOf(RtspParseException.class);
    }
}
