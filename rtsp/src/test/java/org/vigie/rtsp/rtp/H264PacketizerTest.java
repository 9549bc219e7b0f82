package org.vigie.rtsp.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class H264PacketizerTest {

    @Test
    void smallNalUnitsTravelAsSingleNalUnitPackets() {
        byte[] sps = {0x67, 1, 2, 3};
        byte[] slice = {0x65, 9, 9};
        assertThat(new H264Packetizer(100).packetize(List.of(sps, slice))).containsExactly(sps, slice);
    }

    @Test
    void largeNalUnitIsCutIntoFuAFragmentsThatReassembleExactly() {
        byte[] nal = new byte[5000];
        new Random(3).nextBytes(nal);
        nal[0] = 0x65;
        List<byte[]> payloads = new H264Packetizer(1400).packetize(List.of(new byte[] {0x67, 1}, nal));
        assertThat(payloads.get(0)).containsExactly(0x67, 1);
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        for (int i = 1; i < payloads.size(); i++) {
            byte[] p = payloads.get(i);
            assertThat(p.length).isLessThanOrEqualTo(1400);
            assertThat(p[0] & 0x1F).isEqualTo(H264Packetizer.FU_A);
            if (i == 1) {
                rebuilt.write((p[0] & 0xE0) | (p[1] & 0x1F));
            }
            rebuilt.write(p, 2, p.length - 2);
        }
        assertThat(rebuilt.toByteArray()).isEqualTo(nal);
    }
}
