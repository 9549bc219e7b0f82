package org.vigie.rtsp.rtp;

/**
 * RFC 6184 packetization of H.264 in non-interleaved mode (packetization-mode=1): a NAL unit that fits in the
 * maximum payload size travels as a single NAL unit packet, a larger one is cut into FU-A fragments (see
 * {@link FragmentingPacketizer}). STAP-A aggregation is not used. Shared by the camera simulator and the server's
 * RTSP re-stream. Stateless and thread-safe.
 */
public final class H264Packetizer extends FragmentingPacketizer {

    /** FU-A payload type (RFC 6184 section 5.8). */
    public static final int FU_A = 28;

    public H264Packetizer(int maxPayload) {
        super(maxPayload, 1);
    }

    /** The FU indicator: the NAL unit's F and NRI bits, type FU-A. */
    @Override
    byte[] fragmentPayloadHeader(byte[] nal) {
        return new byte[] {(byte) ((nal[0] & 0xE0) | FU_A)};
    }

    @Override
    int nalType(byte[] nal) {
        return nal[0] & 0x1F;
    }
}
