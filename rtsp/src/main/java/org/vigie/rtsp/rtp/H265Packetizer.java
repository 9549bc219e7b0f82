package org.vigie.rtsp.rtp;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 7798 packetization of H.265 without decoding order numbers: a NAL unit that fits in the maximum payload size
 * travels as a single NAL unit packet, a larger one is cut into fragmentation units (FU, type 49) whose payload
 * header keeps the NAL unit's layer id and temporal id. Aggregation packets are not used. Stateless and
 * thread-safe.
 */
public final class H265Packetizer implements Packetizer {

    /** FU payload type (RFC 7798 section 4.4.3). */
    public static final int FU = 49;

    private final int maxPayload;

    public H265Packetizer(int maxPayload) {
        if (maxPayload < 4) {
            throw new IllegalArgumentException("max payload too small: " + maxPayload);
        }
        this.maxPayload = maxPayload;
    }

    @Override
    public int maxPayload() {
        return maxPayload;
    }

    @Override
    public List<byte[]> packetize(List<byte[]> nalUnits) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] nal : nalUnits) {
            if (nal.length < 2) {
                continue;
            }
            if (nal.length <= maxPayload) {
                out.add(nal);
            } else {
                fragment(nal, out);
            }
        }
        return out;
    }

    private void fragment(byte[] nal, List<byte[]> out) {
        int type = (nal[0] >> 1) & 0x3F;
        byte h0 = (byte) ((nal[0] & 0x81) | (FU << 1));
        byte h1 = nal[1];
        int chunk = maxPayload - 3;
        for (int pos = 2; pos < nal.length; pos += chunk) {
            int len = Math.min(chunk, nal.length - pos);
            byte[] p = new byte[len + 3];
            p[0] = h0;
            p[1] = h1;
            int fu = type;
            if (pos == 2) {
                fu |= 0x80; // S
            }
            if (pos + len == nal.length) {
                fu |= 0x40; // E
            }
            p[2] = (byte) fu;
            System.arraycopy(nal, pos, p, 3, len);
            out.add(p);
        }
    }
}
