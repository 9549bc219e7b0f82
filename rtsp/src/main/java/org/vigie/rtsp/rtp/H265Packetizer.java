package org.vigie.rtsp.rtp;

/**
 * RFC 7798 packetization of H.265 without decoding order numbers: a NAL unit that fits in the maximum payload size
 * travels as a single NAL unit packet, a larger one is cut into fragmentation units (FU, type 49, see
 * {@link FragmentingPacketizer}) whose payload header keeps the NAL unit's layer id and temporal id. Aggregation
 * packets are not used. Stateless and thread-safe.
 */
public final class H265Packetizer extends FragmentingPacketizer {

    /** FU payload type (RFC 7798 section 4.4.3). */
    public static final int FU = 49;

    public H265Packetizer(int maxPayload) {
        super(maxPayload, 2);
    }

    /** The NAL unit's header with its type replaced by FU (F bit, layer id and temporal id kept). */
    @Override
    byte[] fragmentPayloadHeader(byte[] nal) {
        return new byte[] {(byte) ((nal[0] & 0x81) | (FU << 1)), nal[1]};
    }

    @Override
    int nalType(byte[] nal) {
        return (nal[0] >> 1) & 0x3F;
    }
}
