package org.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class H264PacketizerTest {

    private final H264Packetizer packetizer = new H264Packetizer(100);

    @Test
    void smallNalUnitsTravelAsSingleNalUnitPackets() {
        byte[] sps = {0x67, 1, 2, 3};
        byte[] slice = {0x65, 9, 9};
        RtpAccessUnit au = packetizer.packetize(new H264Clip.AccessUnit(List.of(sps, slice), true));
        assertThat(au.payloads()).containsExactly(sps, slice);
        assertThat(au.idr()).isTrue();
    }

    @Test
    void largeNalUnitIsCutIntoFuAFragmentsThatReassembleExactly() {
        byte[] nal = new byte[1000];
        new Random(7).nextBytes(nal);
        nal[0] = 0x65; // nal_ref_idc 3, IDR
        RtpAccessUnit au = packetizer.packetize(new H264Clip.AccessUnit(List.of(nal), true));

        assertThat(au.payloads()).hasSize((999 + 97) / 98).allSatisfy(p -> assertThat(p.length).isLessThanOrEqualTo(100));
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        for (int i = 0; i < au.payloads().size(); i++) {
            byte[] p = au.payloads().get(i);
            assertThat(p[0] & 0x1F).isEqualTo(H264Packetizer.FU_A);
            assertThat(p[0] & 0xE0).isEqualTo(0x60); // NRI and F copied from the NAL header
            assertThat(p[1] & 0x1F).isEqualTo(5);
            assertThat((p[1] & 0x80) != 0).as("start bit of fragment %d", i).isEqualTo(i == 0);
            assertThat((p[1] & 0x40) != 0).as("end bit of fragment %d", i).isEqualTo(i == au.payloads().size() - 1);
            if (i == 0) {
                rebuilt.write((p[0] & 0xE0) | (p[1] & 0x1F));
            }
            rebuilt.write(p, 2, p.length - 2);
        }
        assertThat(rebuilt.toByteArray()).isEqualTo(nal);
    }

    @Test
    void rtpStreamNumbersPacketsContinuouslyAndMarksTheLastOfAnAccessUnit() {
        RtpStream stream = new RtpStream(0xCAFEBABE, 0xFFFE, 100, 3600);
        ByteBuf buf = Unpooled.buffer();
        byte[] payload = {0x41, 1};
        stream.writePacket(buf, payload, false, stream.timestampAt(1));
        stream.writePacket(buf, payload, true, stream.timestampAt(1));
        stream.writePacket(buf, payload, true, stream.timestampAt(2));

        int[] expectedSeq = {0xFFFE, 0xFFFF, 0};
        boolean[] expectedMarker = {false, true, true};
        int[] expectedTs = {3700, 3700, 7300};
        for (int i = 0; i < 3; i++) {
            assertThat(buf.readUnsignedByte()).isEqualTo((short) 0x80);
            int second = buf.readUnsignedByte();
            assertThat(second & 0x7F).isEqualTo(96);
            assertThat((second & 0x80) != 0).isEqualTo(expectedMarker[i]);
            assertThat(buf.readUnsignedShort()).isEqualTo(expectedSeq[i]);
            assertThat(buf.readInt()).isEqualTo(expectedTs[i]);
            assertThat(buf.readInt()).isEqualTo(0xCAFEBABE);
            buf.skipBytes(2);
        }
        assertThat(stream.packetCount()).isEqualTo(3);
        assertThat(stream.octetCount()).isEqualTo(6);
        buf.release();
    }

    @Test
    void timestampsWrapModulo32Bits() {
        RtpStream stream = new RtpStream(1, 0, -3600, 3600);
        assertThat(stream.timestampAt(0)).isEqualTo(-3600);
        assertThat(stream.timestampAt(1)).isZero();
        assertThat(Integer.toUnsignedLong(stream.timestampAt(1_200_000))).isEqualTo((1_199_999L * 3600) % (1L << 32));
    }
}
