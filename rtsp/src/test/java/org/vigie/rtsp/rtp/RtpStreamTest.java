package org.vigie.rtsp.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RtpStreamTest {

    @Test
    void numbersPacketsContinuouslyAcrossTheWrapAndMarksTheLastOfAnAccessUnit() {
        RtpStream stream = new RtpStream(0xCAFEBABE, 96, 0xFFFE);
        ByteBuf buf = Unpooled.buffer();
        byte[] payload = {0x41, 1};
        stream.writePacket(buf, payload, false, 3700);
        stream.writePacket(buf, payload, true, 3700);
        stream.writePacket(buf, payload, true, 7300);

        int[] expectedSeq = {0xFFFE, 0xFFFF, 0};
        boolean[] expectedMarker = {false, true, true};
        int[] expectedTs = {3700, 3700, 7300};
        for (int i = 0; i < 3; i++) {
            assertThat((int) buf.readUnsignedByte()).isEqualTo(0x80);
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
}
