package org.vigie.rtsp.rtp;

import java.util.ArrayList;
import java.util.List;

/**
 * The packetization H.264 (RFC 6184, FU-A) and H.265 (RFC 7798, FU) share: a NAL unit that fits in the maximum
 * payload size travels as a single NAL unit packet; a larger one is cut into fragmentation units, each made of the
 * codec's payload header, an FU header (the NAL unit type, S on the first, E on the last) and a chunk of the NAL
 * unit past its own header. Aggregation packets are not used. Stateless and thread-safe.
 *
 * <p>Invariant: every payload returned is at most {@link #maxPayload()} bytes, and concatenating the payloads of
 * one NAL unit (payload and FU headers removed, NAL header rebuilt) gives back the NAL unit exactly.
 */
public abstract sealed class FragmentingPacketizer implements Packetizer permits H264Packetizer, H265Packetizer {

    private static final int START = 0x80;
    private static final int END = 0x40;

    private final int maxPayload;
    private final int nalHeaderBytes;

    /** @param nalHeaderBytes the NAL unit header's length (1 for H.264, 2 for H.265), also its payload header's */
    FragmentingPacketizer(int maxPayload, int nalHeaderBytes) {
        if (maxPayload < nalHeaderBytes + 2) {
            throw new IllegalArgumentException("max payload too small: " + maxPayload);
        }
        this.maxPayload = maxPayload;
        this.nalHeaderBytes = nalHeaderBytes;
    }

    /** The payload header of the fragments of {@code nal} ({@code nalHeaderBytes} long). */
    abstract byte[] fragmentPayloadHeader(byte[] nal);

    /** The NAL unit type, carried in each fragment's FU header. */
    abstract int nalType(byte[] nal);

    @Override
    public final int maxPayload() {
        return maxPayload;
    }

    @Override
    public final List<byte[]> packetize(List<byte[]> nalUnits) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] nal : nalUnits) {
            if (nal.length < nalHeaderBytes) {
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
        byte[] payloadHeader = fragmentPayloadHeader(nal);
        int type = nalType(nal);
        int headers = nalHeaderBytes + 1;
        int chunk = maxPayload - headers;
        for (int pos = nalHeaderBytes; pos < nal.length; pos += chunk) {
            int len = Math.min(chunk, nal.length - pos);
            byte[] p = new byte[headers + len];
            System.arraycopy(payloadHeader, 0, p, 0, nalHeaderBytes);
            int fuHeader = type;
            if (pos == nalHeaderBytes) {
                fuHeader |= START;
            }
            if (pos + len == nal.length) {
                fuHeader |= END;
            }
            p[nalHeaderBytes] = (byte) fuHeader;
            System.arraycopy(nal, pos, p, headers, len);
            out.add(p);
        }
    }
}
