package org.vigie.simulator;

/**
 * The simulator's face of the shared RFC 6184 packetizer ({@link org.vigie.rtsp.rtp.H264Packetizer}, which the
 * server's RTSP re-stream uses too): packetizes a clip's access unit. Stateless and thread-safe.
 */
public final class H264Packetizer {

    /** FU-A payload type (RFC 6184 section 5.8). */
    static final int FU_A = org.vigie.rtsp.rtp.H264Packetizer.FU_A;
    /** The default maximum RTP payload: keeps UDP datagrams under a 1500-byte Ethernet MTU. */
    public static final int DEFAULT_MAX_PAYLOAD = org.vigie.rtsp.rtp.Packetizer.DEFAULT_MAX_PAYLOAD;

    private final org.vigie.rtsp.rtp.H264Packetizer shared;

    public H264Packetizer(int maxPayload) {
        this.shared = new org.vigie.rtsp.rtp.H264Packetizer(maxPayload);
    }

    public int maxPayload() {
        return shared.maxPayload();
    }

    /** The payloads of one access unit, each at most {@link #maxPayload()} bytes. */
    public RtpAccessUnit packetize(H264Clip.AccessUnit au) {
        return new RtpAccessUnit(shared.packetize(au.nalUnits()), au.idr());
    }
}
