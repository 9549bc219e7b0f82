package org.vigie.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class H264PacketizerTest {

    @Test
    void splitsAnAvccAccessUnitIntoItsNalUnits() {
        byte[] avcc = {0, 0, 0, 2, 0x67, 1, 0, 0, 0, 3, 0x65, 2, 3};
        List<byte[]> nals = H264Packetizer.nalUnits(avcc);
        assertThat(nals).containsExactly(new byte[] {0x67, 1}, new byte[] {0x65, 2, 3});
    }

    @Test
    void refusesALengthThatRunsPastTheAccessUnit() {
        assertThatThrownBy(() -> H264Packetizer.nalUnits(new byte[] {0, 0, 0, 9, 0x65, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runs past");
        assertThatThrownBy(() -> H264Packetizer.nalUnits(new byte[] {0, 0, 0, 1, 0x65, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
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
