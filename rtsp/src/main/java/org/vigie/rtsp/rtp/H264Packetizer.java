package org.vigie.rtsp.rtp;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6184 packetization of H.264 in non-interleaved mode (packetization-mode=1): a NAL unit that fits in the
 * maximum payload size travels as a single NAL unit packet, a larger one is cut into FU-A fragments. STAP-A
 * aggregation is not used. Shared by the camera simulator and the server's RTSP re-stream. Stateless and
 * thread-safe.
 *
 * <p>Invariant: every payload returned is at most {@link #maxPayload()} bytes, and concatenating the payloads of
 * one NAL unit (FU-A headers removed, NAL header rebuilt) gives back the NAL unit exactly.
 */
public final class H264Packetizer implements Packetizer {

    /** FU-A payload type (RFC 6184 section 5.8). */
    public static final int FU_A = 28;



    private final int maxPayload;

    public H264Packetizer(int maxPayload) {
        if (maxPayload < 3) {
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
            if (nal.length == 0) {
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
