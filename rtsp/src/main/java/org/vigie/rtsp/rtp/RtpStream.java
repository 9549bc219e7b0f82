package org.vigie.rtsp.rtp;

import io.netty.buffer.ByteBuf;

/**
 * The sender's side of one outgoing RTP stream (RFC 3550 section 5.1): SSRC, payload type, next sequence number,
 * and the packet and octet counts that RTCP sender reports carry.
 *
 * <p>Invariants: sequence numbers increase by one per packet modulo 2^16, without gap; the counts include every
 * packet written. Not thread-safe: used by one sending thread at a time (its owner's lock or event loop).
 */
public final class RtpStream {

    private final int ssrc;
    private final int payloadType;
    private int nextSequence;
    private long packetCount;
    private long octetCount;

    public RtpStream(int ssrc, int payloadType, int initialSequence) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range: " + payloadType);
        }
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.nextSequence = initialSequence & 0xFFFF;
    }

    public int ssrc() {
        return ssrc;
    }

    public int payloadType() {
        return payloadType;
    }

    /** The sequence number of the next packet. */
    public int nextSequence() {
        return nextSequence;
    }

    public long packetCount() {
        return packetCount;
    }

    /** Payload octets sent (headers excluded), as RTCP counts them. */
    public long octetCount() {
        return octetCount;
    }

    /** Writes one packet: the 12-byte header, then the payload; counts it. */
    public void writePacket(ByteBuf out, byte[] payload, boolean marker, int timestamp) {
        writeHeader(out, marker, timestamp, false);
        out.writeBytes(payload);
        counted(payload.length);
    }

    /**
     * Writes the 12-byte header of the next packet and takes its sequence number. With {@code extension}, the X bit
     * is set: the caller writes the header extension, then the payload, then calls {@link #counted}.
     */
    public void writeHeader(ByteBuf out, boolean marker, int timestamp, boolean extension) {
        out.writeByte(extension ? 0x90 : 0x80);
        out.writeByte((marker ? 0x80 : 0) | payloadType);
        out.writeShort(nextSequence);
        out.writeInt(timestamp);
        out.writeInt(ssrc);
        nextSequence = (nextSequence + 1) & 0xFFFF;
    }

    /** Counts a packet whose header {@link #writeHeader} wrote, with {@code payloadLength} payload bytes. */
    public void counted(int payloadLength) {
        packetCount++;
        octetCount += payloadLength;
    }
}
