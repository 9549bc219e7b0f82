package org.vigie.rtsp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.vigie.media.Frame;
import org.vigie.media.NtpTime;
import org.vigie.media.VideoFormat;
import org.vigie.rtsp.codec.AvcConfig;
import org.vigie.rtsp.header.Transport;
import org.vigie.rtsp.interleaved.InterleavedEncoder;
import org.vigie.rtsp.rtcp.RtcpPacket;
import org.vigie.rtsp.rtcp.SenderReport;
import org.vigie.rtsp.rtp.H264Packetizer;
import org.vigie.rtsp.rtp.RtpStream;
import org.vigie.rtsp.testing.Clip;

/**
 * What every RTSP server of the project sends through {@link RtpSender}: RTP read back from an RTSP connection (Netty's
 * {@link EmbeddedChannel}) as a client reads it, RTCP sender reports mapping the RTP timestamp of a frame sent to that
 * frame's wall time, parameter sets in front of a key frame that lacks them, and ONVIF's replay extension.
 */
class RtpSenderTest {

    private static final long T0 = 1_780_000_000_000_000L; // µs, 2026
    private static final int BASE = 0x7000_0000;
    private static final Clip CLIP = Clip.h264();
    private static final VideoFormat FORMAT = AvcConfig.of(List.of(CLIP.first(7)), List.of(CLIP.first(8))).toFormat();

    /** The clip's access units, looped, 25 per second of wall time from {@link #T0}. */
    private static Frame frame(int i, long wall) {
        List<byte[]> au = CLIP.accessUnits().get(i % CLIP.accessUnits().size());
        return new Frame(FORMAT, 1, i * 3600L, wall, CLIP.isKey(au), Clip.sample(au));
    }

    @Test
    void aSenderReportFollowsTheFirstFrameThenEveryFiveSecondsAndWhenTimeGoesBack() {
        EmbeddedChannel ch = new EmbeddedChannel(InterleavedEncoder.INSTANCE);
        RtpSender rtp = new RtpSender(new RtpStream(0x1234_5678, 96, 100), new H264Packetizer(1400),
                new TcpInterleavedOutput(ch, new Transport.PortPair(4, 5)), "vigie", 5_000_000L, ch.alloc());
        Map<Integer, Long> wallOfTimestamp = new HashMap<>();
        List<Long> walls = new ArrayList<>();
        for (int i = 0; i < 25 * 12; i++) { // 12 s
            walls.add(T0 + i * 40_000L);
        }
        walls.add(T0 + 2_000_000L); // an archive seek back
        for (int i = 0; i < walls.size(); i++) {
            long wall = walls.get(i);
            int ts = RtpSender.timestamp(wall, BASE);
            wallOfTimestamp.put(ts, wall);
            rtp.sendFrame(frame(i, wall), ts, null);
        }

        List<SenderReport> reports = new ArrayList<>();
        List<Long> rtpPacketsBefore = new ArrayList<>();
        long rtpPackets = 0;
        long octets = 0;
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            try {
                while (b.isReadable()) { // an access unit's packets back to back
                    assertThat(b.readByte()).isEqualTo((byte) '$');
                    int channel = b.readUnsignedByte();
                    int length = b.readUnsignedShort();
                    if (channel == 4) {
                        rtpPackets++;
                        octets += length - 12;
                    } else {
                        assertThat(channel).as("interleaved channel").isEqualTo(5);
                        RtcpPacket p = RtcpPacket.parse(b, b.readerIndex(), length);
                        assertThat(p.types()).containsExactly(RtcpPacket.SR, RtcpPacket.SDES);
                        reports.addAll(p.senderReports());
                        rtpPacketsBefore.add(rtpPackets);
                        assertThat(p.senderReports().get(0).octetCount()).isEqualTo(octets);
                    }
                    b.skipBytes(length);
                }
            } finally {
                b.release();
            }
        }

        assertThat(reports).as("sender reports at 0, 5 and 10 s, then after the seek back").hasSize(4);
        for (int i = 0; i < reports.size(); i++) {
            SenderReport sr = reports.get(i);
            assertThat(sr.ssrc()).isEqualTo(0x1234_5678);
            Long wall = wallOfTimestamp.get(sr.rtpTimestamp());
            assertThat(wall).as("the RTP timestamp of a frame sent").isNotNull();
            assertThat(NtpTime.toMicros(sr.ntpTimestamp())).as("NTP time of report %d", i).isCloseTo(wall,
                    Offset.offset(1L));
            assertThat(wall - T0).isEqualTo(i < 3 ? 5_000_000L * i : 2_000_000L);
            assertThat(sr.packetCount()).as("RTP packets sent before the report").isEqualTo(rtpPacketsBefore.get(i));
        }
        assertThat(rtp.reports()).isEqualTo(4);
        ch.finishAndReleaseAll();
    }

    @Test
    void aKeyFrameWithoutParameterSetsIsSentWithThoseOfItsFormatInFront() {
        byte[] idr = CLIP.first(5);
        Captured out = new Captured();
        RtpSender rtp = new RtpSender(new RtpStream(1, 96, 0), new H264Packetizer(100_000), out, "vigie", 5_000_000L,
                ByteBufAllocator.DEFAULT);
        rtp.sendFrame(new Frame(FORMAT, 1, 0, T0, true, Clip.sample(List.of(idr))), 0, null);
        assertThat(out.payloads).containsExactly(CLIP.first(7), CLIP.first(8), idr);

        out.payloads.clear(); // a key frame with its own parameter sets, and a delta frame, go as they are
        List<byte[]> key = List.of(CLIP.first(7), CLIP.first(8), idr);
        rtp.sendFrame(new Frame(FORMAT, 1, 0, T0, true, Clip.sample(key)), 0, null);
        rtp.sendFrame(new Frame(FORMAT, 1, 0, T0, false, Clip.sample(List.of(idr))), 0, null);
        assertThat(out.payloads).containsExactly(CLIP.first(7), CLIP.first(8), idr, idr);
    }

    @Test
    void theOnvifReplayExtensionCarriesTheFrameTimeCleanPointDiscontinuityAndCseq() {
        ByteBuf b = Unpooled.buffer();
        OnvifReplayExtension e = new OnvifReplayExtension(T0 + 120_000, true, true, 0x1234);
        e.write(b, 0);
        e.write(b, 1);
        assertThat(e.profile()).isEqualTo(0xABAC);
        assertThat(b.readableBytes()).isEqualTo(2 * 4 * e.words());
        assertThat(NtpTime.toMicros(b.readLong())).isEqualTo(T0 + 120_000);
        assertThat((int) b.readUnsignedByte()).as("C and D on the first packet").isEqualTo(0xA0);
        assertThat((int) b.readUnsignedByte()).as("the CSeq's low byte").isEqualTo(0x34);
        b.skipBytes(2);
        b.skipBytes(8);
        assertThat((int) b.readUnsignedByte()).as("C only on the next ones").isEqualTo(0x80);
    }

    /** Records the payloads sent; drops the reports. */
    private static final class Captured implements MediaOutput {
        final List<byte[]> payloads = new ArrayList<>();

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void sendAccessUnit(List<byte[]> p, RtpStream stream, int timestamp, RtpHeaderExtension extension) {
            payloads.addAll(p);
        }

        @Override
        public void sendRtcp(ByteBuf packet) {
            packet.release();
        }

        @Override
        public Transport transport(int ssrc) {
            return Transport.tcpInterleaved(0);
        }
    }
}
