package org.vigie.simulator;

import io.netty.buffer.ByteBuf;

/**
 * The RTP state of one session's video stream: SSRC, next sequence number, timestamp offset and the sender's
 * packet and octet counts reported in RTCP.
 *
 * <p>Invariants: sequence numbers increase by one per packet (mod 2^16) and timestamps are
 * {@code offset + tick * ticksPerFrame} (mod 2^32), so both run on continuously across loops of the clip.
 * Not thread-safe: guarded by the monitor of the session's {@link SimulatedCamera}.
 */
public final class RtpStream {

    private final int ssrc;
    private final int timestampOffset;
    private final int ticksPerFrame;
    private int nextSequence;
    private long packetCount;
    private long octetCount;

    public RtpStream(int ssrc, int initialSequence, int timestampOffset, int ticksPerFrame) {
        this.ssrc = ssrc;
        this.nextSequence = initialSequence & 0xFFFF;
        this.timestampOffset = timestampOffset;
        this.ticksPerFrame = ticksPerFrame;
    }

    public int ssrc() {
        return ssrc;
    }

    public int nextSequence() {
        return nextSequence;
    }

    /** The RTP timestamp of the frame emitted at a pacer tick. */
    public int timestampAt(long tick) {
        return (int) (timestampOffset + tick * ticksPerFrame);
    }

    public long packetCount() {
        return packetCount;
    }

    public long octetCount() {
        return octetCount;
    }

    /** Writes one RTP packet (12-byte header then payload) and counts it. */
    public void writePacket(ByteBuf out, byte[] payload, boolean marker, int timestamp) {
        out.writeByte(0x80);
        out.writeByte((marker ? 0x80 : 0) | SessionDescription.PAYLOAD_TYPE);
        out.writeShort(nextSequence);
        out.writeInt(timestamp);
        out.writeInt(ssrc);
        out.writeBytes(payload);
        nextSequence = (nextSequence + 1) & 0xFFFF;
        packetCount++;
        octetCount += payload.length;
    }
}
