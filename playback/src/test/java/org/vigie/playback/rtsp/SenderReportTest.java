package org.vigie.playback.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vigie.media.Frame;
import org.vigie.media.NtpTime;
import org.vigie.recorder.testing.SyntheticStream;
import org.vigie.rtsp.rtcp.RtcpPacket;
import org.vigie.rtsp.rtcp.SenderReport;

/**
 * The re-stream's RTCP sender reports, read back from an RTSP connection (Netty's {@link EmbeddedChannel}) as a
 * client reads them: interleaved on the RTCP channel, each mapping the RTP timestamp of a frame sent to that frame's
 * wall time in NTP, with the packet and octet counts sent so far.
 */
class SenderReportTest {

    private static final long T0 = 1_780_000_000_000_000L; // µs, 2026
    private static final int BASE = 0x7000_0000;

    @Test
    void aSenderReportFollowsTheFirstFrameThenEveryFiveSecondsAndMapsRtpTimeToTheFrameWallTime() {
        EmbeddedChannel ch = new EmbeddedChannel(InterleavedPacketEncoder.INSTANCE);
        TcpInterleavedOutput out = new TcpInterleavedOutput(ch, 4, 5);
        RtpPacketizer rtp = new RtpPacketizer(0x1234_5678, 100, 1400);
        SyntheticStream g = new SyntheticStream(SyntheticStream.h264(640, 360), 1, T0, 25, 25);
        Map<Integer, Long> wallOfTimestamp = new HashMap<>();
        for (int i = 0; i < 25 * 12; i++) { // 12 s
            Frame f = g.next();
            int ts = RtpPacketizer.timestamp(f.wallMicros(), BASE);
            wallOfTimestamp.put(ts, f.wallMicros());
            rtp.write(f, ts, null, out);
        }
        out.flush();

        List<SenderReport> reports = new ArrayList<>();
        List<Long> rtpPacketsBefore = new ArrayList<>();
        long rtpPackets = 0;
        long octets = 0;
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            try {
                assertThat(b.readByte()).isEqualTo((byte) '$');
                int channel = b.readUnsignedByte();
                int length = b.readUnsignedShort();
                assertThat(b.readableBytes()).isEqualTo(length);
                if (channel == 4) {
                    rtpPackets++;
                    octets += length - RtpPacketizer.HEADER;
                } else {
                    assertThat(channel).as("interleaved channel").isEqualTo(5);
                    RtcpPacket p = RtcpPacket.parse(b, b.readerIndex(), length);
                    assertThat(p.types()).containsExactly(RtcpPacket.SR, RtcpPacket.SDES);
                    reports.addAll(p.senderReports());
                    rtpPacketsBefore.add(rtpPackets);
                    assertThat(p.senderReports().get(0).octetCount()).isEqualTo(octets);
                }
            } finally {
                b.release();
            }
        }

        assertThat(reports).as("sender reports at 0, 5 and 10 s").hasSize(3);
        for (int i = 0; i < reports.size(); i++) {
            SenderReport sr = reports.get(i);
            assertThat(sr.ssrc()).isEqualTo(0x1234_5678);
            Long wall = wallOfTimestamp.get(sr.rtpTimestamp());
            assertThat(wall).as("the RTP timestamp of a frame sent").isNotNull();
            assertThat(NtpTime.toMicros(sr.ntpTimestamp())).as("NTP time of report %d", i).isCloseTo(wall,
                    org.assertj.core.data.Offset.offset(1L));
            assertThat(wall - T0).isEqualTo(5_000_000L * i);
            assertThat(sr.packetCount()).as("RTP packets sent before the report").isEqualTo(rtpPacketsBefore.get(i));
        }
        assertThat(rtp.reports()).isEqualTo(3);
        ch.finishAndReleaseAll();
    }
}
