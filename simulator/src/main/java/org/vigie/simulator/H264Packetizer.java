package org.vigie.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6184 packetization of H.264 in non-interleaved mode (packetization-mode=1): a NAL unit that fits in the
 * maximum payload size travels as a single NAL unit packet, a larger one is cut into FU-A fragments. STAP-A
 * aggregation is not used. Stateless and thread-safe.
 */
public final class H264Packetizer {

    /** FU-A payload type (RFC 6184 section 5.8). */
    static final int FU_A = 28;
    /** The default maximum RTP payload: keeps UDP datagrams under a 1500-byte Ethernet MTU. */
    public static final int DEFAULT_MAX_PAYLOAD = 1400;

    private final int maxPayload;

    public H264Packetizer(int maxPayload) {
        if (maxPayload < 3) {
            throw new IllegalArgumentException("max payload too small: " + maxPayload);
        }
        this.maxPayload = maxPayload;
    }

    public int maxPayload() {
        return maxPayload;
    }

    /** The payloads of one access unit, each at most {@link #maxPayload()} bytes. */
    public RtpAccessUnit packetize(H264Clip.AccessUnit au) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] nal : au.nalUnits()) {
            if (nal.length <= maxPayload) {
                out.add(nal);
            } else {
                fragment(nal, out);
            }
        }
        return new RtpAccessUnit(out, au.idr());
    }

    private void fragment(byte[] nal, List<byte[]> out) {
        int header = nal[0] & 0xFF;
        byte indicator = (byte) ((header & 0xE0) | FU_A);
        int type = header & 0x1F;
        int chunk = maxPayload - 2;
        for (int pos = 1; pos < nal.length; pos += chunk) {
            int len = Math.min(chunk, nal.length - pos);
            byte[] p = new byte[len + 2];
            p[0] = indicator;
            int fuHeader = type;
            if (pos == 1) {
                fuHeader |= 0x80; // S
            }
            if (pos + len == nal.length) {
                fuHeader |= 0x40; // E
            }
            p[1] = (byte) fuHeader;
            System.arraycopy(nal, pos, p, 2, len);
            out.add(p);
        }
    }
}
