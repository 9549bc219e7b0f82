package org.vigie.rtsp.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigie.media.Codec;
import org.vigie.rtsp.RtspLimitException;
import org.vigie.rtsp.RtspLimits;
import org.vigie.rtsp.codec.H264Sps;
import org.vigie.rtsp.testing.Clip;
import org.vigie.rtsp.testing.RtpPackets;

/** H.264 (RFC 6184) and H.265 (RFC 7798) depacketization: payload shapes, loss, timestamps, parameter sets, bounds. */
class DepacketizerTest {

    private final List<AccessUnit> out = new ArrayList<>();
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void everyRetainedSliceWasReleased() {
        for (ByteBuf b : buffers) {
            assertThat(b.refCnt()).as("buffer still referenced").isEqualTo(1);
            b.release();
        }
    }

    private void push(Depacketizer d, ByteBuf packet) {
        buffers.add(packet);
        d.push(new RtpPacket().parse(packet, packet.readerIndex(), packet.readableBytes()));
    }

    private H264Depacketizer h264(Clip clip) {
        return new H264Depacketizer(List.of(clip.first(7)), List.of(clip.first(8)), RtspLimits.DEFAULT_MAX_ACCESS_UNIT,
                out::add);
    }

    @Test
    void h264ClipSurvivesPacketizationWithFuAExactly() {
        Clip clip = Clip.h264();
        H264Depacketizer d = h264(clip);
        RtpStream s = new RtpStream(0x1234, 96, 65_000); // sequence numbers wrap during the clip
        for (ByteBuf p : RtpPackets.of(clip, new H264Packetizer(500), s, 0)) {
            push(d, p);
        }
        assertThat(out).hasSize(clip.accessUnits().size());
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.get(i).data()).isEqualTo(Clip.sample(clip.accessUnits().get(i)));
            assertThat(out.get(i).keyFrame()).isEqualTo(clip.isKey(clip.accessUnits().get(i)));
            assertThat(out.get(i).timestamp()).isEqualTo(3600L * i);
        }
        assertThat(out.get(0).format().width()).isEqualTo(320);
        assertThat(out.stream().map(AccessUnit::format).distinct()).hasSize(1);
        assertThat(d.framesLost()).isZero();
        assertThat(d.framesSkipped()).isZero();
    }

    @Test
    void h265ClipSurvivesPacketizationWithFragmentationUnitsExactly() {
        Clip clip = Clip.h265();
        H265Depacketizer d = new H265Depacketizer(List.of(), List.of(), List.of(), 1 << 20, out::add);
        for (ByteBuf p : RtpPackets.of(clip, new H265Packetizer(300), new RtpStream(1, 96, 0), -7200)) {
            push(d, p);
        }
        assertThat(out).hasSize(clip.accessUnits().size());
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.get(i).data()).isEqualTo(Clip.sample(clip.accessUnits().get(i)));
        }
        assertThat(out.get(0).keyFrame()).isTrue();
        assertThat(out.get(0).format().codec()).isEqualTo(Codec.H265); // from the in-band VPS/SPS/PPS
        assertThat(out.get(0).format().height()).isEqualTo(288);
        assertThat(out.get(1).timestamp() - out.get(0).timestamp()).isEqualTo(3600); // across the 2^32 wrap
    }

    @Test
    void stapAAndH265AggregationPacketsCarrySeveralNalUnits() {
        Clip clip = Clip.h264();
        H264Depacketizer d = h264(clip);
        List<byte[]> key = clip.accessUnits().get(0);
        RtpStream s = new RtpStream(1, 96, 0);
        // SPS + PPS (+ SEI) aggregated in one STAP-A, then the IDR in FU-A
        ByteArrayOutputStream stap = new ByteArrayOutputStream();
        stap.write(24);
        List<byte[]> prefix = key.subList(0, key.size() - 1);
        for (byte[] nal : prefix) {
            stap.write(nal.length >> 8);
            stap.write(nal.length);
            stap.writeBytes(nal);
        }
        push(d, RtpPackets.packet(s, stap.toByteArray(), false, 0));
        List<byte[]> fu = new H264Packetizer(400).packetize(List.of(key.get(key.size() - 1)));
        for (int i = 0; i < fu.size(); i++) {
            push(d, RtpPackets.packet(s, fu.get(i), i == fu.size() - 1, 0));
        }
        assertThat(out).hasSize(1);
        assertThat(out.get(0).data()).isEqualTo(Clip.sample(key));

        Clip h265 = Clip.h265();
        H265Depacketizer d5 = new H265Depacketizer(List.of(), List.of(), List.of(), 1 << 20, out::add);
        List<byte[]> key5 = h265.accessUnits().get(0);
        ByteArrayOutputStream ap = new ByteArrayOutputStream();
        ap.write(48 << 1);
        ap.write(1);
        List<byte[]> sets = key5.subList(0, 3); // VPS, SPS, PPS
        for (byte[] nal : sets) {
            ap.write(nal.length >> 8);
            ap.write(nal.length);
            ap.writeBytes(nal);
        }
        RtpStream s5 = new RtpStream(2, 96, 0);
        push(d5, RtpPackets.packet(s5, ap.toByteArray(), false, 0));
        List<byte[]> rest = new H265Packetizer(1000).packetize(key5.subList(3, key5.size()));
        for (int i = 0; i < rest.size(); i++) {
            push(d5, RtpPackets.packet(s5, rest.get(i), i == rest.size() - 1, 0));
        }
        assertThat(out).hasSize(2);
        assertThat(out.get(1).data()).isEqualTo(Clip.sample(key5));
    }

    @Test
    void aSequenceGapDropsTheFrameAndWhatDependsOnItUntilTheNextKeyFrame() {
        Clip clip = Clip.h264(); // key frames at 0 and 25
        H264Depacketizer d = h264(clip);
        List<ByteBuf> packets = RtpPackets.of(clip, new H264Packetizer(500), new RtpStream(1, 96, 0), 0);
        // find the packets of access unit 10 and lose one in its middle
        int au = 0;
        int lost = -1;
        for (int i = 0; i < packets.size(); i++) {
            ByteBuf p = packets.get(i);
            if (au == 10 && lost < 0) {
                lost = i;
            }
            if ((p.getByte(1) & 0x80) != 0) {
                au++;
            }
        }
        for (int i = 0; i < packets.size(); i++) {
            if (i == lost) {
                buffers.add(packets.get(i));
                continue;
            }
            push(d, packets.get(i));
        }
        int n = clip.accessUnits().size();
        assertThat(out).hasSize(n - 15); // 10 .. 24 dropped: 10 was corrupt, 11 .. 24 depend on it
        assertThat(out.get(10).keyFrame()).isTrue();
        assertThat(out.get(10).timestamp()).isEqualTo(25 * 3600L);
        assertThat(d.framesLost()).isEqualTo(15);
        for (int i = 10; i < out.size(); i++) {
            assertThat(out.get(i).data()).isEqualTo(Clip.sample(clip.accessUnits().get(i + 15)));
        }
    }

    @Test
    void framesBeforeTheFirstKeyFrameAreSkippedNotLost() {
        Clip clip = Clip.h264();
        H264Depacketizer d = h264(clip);
        List<ByteBuf> packets = RtpPackets.of(clip, new H264Packetizer(1400), new RtpStream(1, 96, 0), 0);
        // start in the middle of the first group of pictures: at the packet after the 5th marker
        int markers = 0;
        int i = 0;
        while (markers < 5) {
            buffers.add(packets.get(i));
            markers += (packets.get(i++).getByte(1) & 0x80) != 0 ? 1 : 0;
        }
        for (; i < packets.size(); i++) {
            push(d, packets.get(i));
        }
        assertThat(out.get(0).keyFrame()).isTrue();
        assertThat(d.framesSkipped()).isEqualTo(20);
        assertThat(d.framesLost()).isZero();
    }

    @Test
    void aForgottenMarkerEndsTheAccessUnitAtTheNextTimestamp() {
        Clip clip = Clip.h264();
        H264Depacketizer d = h264(clip);
        RtpStream s = new RtpStream(1, 96, 0);
        for (int i = 0; i < 3; i++) {
            for (byte[] p : new H264Packetizer(1400).packetize(clip.accessUnits().get(i))) {
                push(d, RtpPackets.packet(s, p, false, i * 3600));
            }
        }
        assertThat(out).hasSize(2); // the third waits for a marker or a new timestamp
        assertThat(out.get(1).data()).isEqualTo(Clip.sample(clip.accessUnits().get(1)));
        d.close();
    }

    @Test
    void truncatedFragmentsNeverBecomeFrames() {
        Clip clip = Clip.h264();
        H264Depacketizer d = h264(clip);
        RtpStream s = new RtpStream(1, 96, 0);
        List<byte[]> key = clip.accessUnits().get(0);
        List<byte[]> payloads = new H264Packetizer(300).packetize(key);
        // the camera drops the FU-A end fragment but keeps numbering: the NAL unit is never finished
        for (int i = 0; i < payloads.size() - 1; i++) {
            push(d, RtpPackets.packet(s, payloads.get(i), false, 0));
        }
        push(d, RtpPackets.packet(s, payloads.get(0).clone(), true, 3600)); // a new timestamp, then marker
        assertThat(out).isEmpty();
        assertThat(d.framesSkipped()).isEqualTo(2);
        // malformed STAP-A (size past the end) is corrupt too
        push(d, RtpPackets.packet(s, new byte[] {24, 0, 50, 0x67}, true, 7200));
        assertThat(out).isEmpty();
    }

    @Test
    void inBandParameterSetsThatChangeMakeANewFormat() {
        Clip small = Clip.h264();
        Clip big = Clip.h264High1080p();
        H264Depacketizer d = h264(small);
        RtpStream s = new RtpStream(1, 96, 0);
        int ts = 0;
        for (Clip c : List.of(small, big)) {
            for (List<byte[]> au : c.accessUnits().subList(0, 3)) {
                List<byte[]> payloads = new H264Packetizer(1400).packetize(au);
                for (int i = 0; i < payloads.size(); i++) {
                    push(d, RtpPackets.packet(s, payloads.get(i), i == payloads.size() - 1, ts));
                }
                ts += 3600;
            }
        }
        assertThat(out).hasSize(6);
        assertThat(out.get(2).format()).isSameAs(out.get(0).format());
        assertThat(out.get(3).format()).isNotEqualTo(out.get(0).format());
        assertThat(out.get(3).format().height()).isEqualTo(1080);
        assertThat(H264Sps.parse(big.first(7)).width()).isEqualTo(out.get(5).format().width());
    }

    @Test
    void anAccessUnitBeyondItsBoundIsTheLibrarysLimitErrorAndReleasesEverything() {
        Clip clip = Clip.h264();
        H264Depacketizer d = new H264Depacketizer(List.of(clip.first(7)), List.of(clip.first(8)), 4096, out::add);
        RtpStream s = new RtpStream(1, 96, 0);
        byte[] big = new byte[1000];
        big[0] = 0x65;
        push(d, RtpPackets.packet(s, big, false, 0));
        push(d, RtpPackets.packet(s, big, false, 0));
        push(d, RtpPackets.packet(s, big, false, 0));
        push(d, RtpPackets.packet(s, big, false, 0));
        ByteBuf last = RtpPackets.packet(s, big, true, 0);
        buffers.add(last);
        assertThatThrownBy(() -> d.push(new RtpPacket().parse(last, 0, last.readableBytes())))
                .isInstanceOf(RtspLimitException.class).hasMessageContaining("4096");
        assertThat(out).isEmpty();
    }

    @Test
    void rtpPacketViewFindsThePayloadAfterCsrcsExtensionAndBeforePadding() {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x80 | 0x20 | 0x10 | 2); // V=2, P, X, CC=2
        b.writeByte(0x80 | 96).writeShort(7).writeInt(123).writeInt(0xCAFE);
        b.writeInt(1).writeInt(2); // CSRCs
        b.writeShort(0xABAC).writeShort(1).writeInt(0x11223344); // one-word extension
        b.writeBytes(new byte[] {0x65, 9, 9});
        b.writeBytes(new byte[] {0, 0, 3}); // padding, its count last
        RtpPacket p = new RtpPacket().parse(b, 0, b.readableBytes());
        assertThat(p.marker()).isTrue();
        assertThat(p.payloadType()).isEqualTo(96);
        assertThat(p.sequence()).isEqualTo(7);
        assertThat(p.extensionProfile()).isEqualTo(0xABAC);
        assertThat(p.payloadLength()).isEqualTo(3);
        assertThat(b.getByte(p.payloadOffset())).isEqualTo((byte) 0x65);
        b.release();
    }

    @Test
    void timestampsExtendAcrossTheWrapBothWays() {
        TimestampExtender t = new TimestampExtender();
        assertThat(t.extend(0xFFFF_FF00)).isEqualTo(0xFFFF_FF00L);
        assertThat(t.extend(0x0000_0100)).isEqualTo(0x1_0000_0100L);
        assertThat(t.extend(0xFFFF_FFF0)).isEqualTo(0xFFFF_FFF0L); // a B-frame-like step back over the wrap
        assertThat(t.peek(0x10)).isEqualTo(0x1_0000_0010L);
    }
}
