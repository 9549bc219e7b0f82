package org.vigie.rtsp.rtp;

import io.netty.buffer.ByteBuf;
import org.vigie.rtsp.RtspParseException;

/**
 * A view of one RTP packet (RFC 3550 section 5.1) inside a buffer it does not own: header fields, and where the
 * payload lies (after CSRCs and any header extension, before padding). One instance is reused for every packet of
 * a stream ({@link #parse} overwrites it), so reading packets allocates nothing. Not thread-safe.
 */
public final class RtpPacket {

    /** The fixed header. */
    public static final int HEADER = 12;

    private ByteBuf buffer;
    private boolean marker;
    private int payloadType;
    private int sequence;
    private int timestamp;
    private int ssrc;
    private int payloadOffset;
    private int payloadLength;
    private int extensionProfile = -1;
    private int extensionOffset;
    private int extensionLength;

    /**
     * Reads the packet at {@code buffer[offset, offset + length)}.
     *
     * @throws RtspParseException when it is not an RTP version 2 packet or its lengths do not fit
     */
    public RtpPacket parse(ByteBuf buffer, int offset, int length) {
        if (length < HEADER) {
            throw new RtspParseException("RTP packet of " + length + " bytes");
        }
        int b0 = buffer.getUnsignedByte(offset);
        if ((b0 >> 6) != 2) {
            throw new RtspParseException("RTP version " + (b0 >> 6));
        }
        int b1 = buffer.getUnsignedByte(offset + 1);
        int pos = HEADER + 4 * (b0 & 0x0F);
        int end = length;
        extensionProfile = -1;
        if ((b0 & 0x10) != 0) {
            if (pos + 4 > end) {
                throw new RtspParseException("RTP header extension truncated");
            }
            extensionProfile = buffer.getUnsignedShort(offset + pos);
            extensionLength = 4 * buffer.getUnsignedShort(offset + pos + 2);
            extensionOffset = offset + pos + 4;
            pos += 4 + extensionLength;
        }
        if ((b0 & 0x20) != 0) {
            if (end <= pos) {
                throw new RtspParseException("RTP padding without payload");
            }
            int padding = buffer.getUnsignedByte(offset + end - 1);
            if (padding == 0 || padding > end - pos) {
                throw new RtspParseException("RTP padding of " + padding + " bytes");
            }
            end -= padding;
        }
        if (pos > end) {
            throw new RtspParseException("RTP header longer than the packet");
        }
        this.buffer = buffer;
        this.marker = (b1 & 0x80) != 0;
        this.payloadType = b1 & 0x7F;
        this.sequence = buffer.getUnsignedShort(offset + 2);
        this.timestamp = buffer.getInt(offset + 4);
        this.ssrc = buffer.getInt(offset + 8);
        this.payloadOffset = offset + pos;
        this.payloadLength = end - pos;
        return this;
    }

    /** The buffer the packet lies in (borrowed: valid only while the caller holds it). */
    public ByteBuf buffer() {
        return buffer;
    }

    public boolean marker() {
        return marker;
    }

    public int payloadType() {
        return payloadType;
    }

    /** 16-bit sequence number, 0..65535. */
    public int sequence() {
        return sequence;
    }

    /** 32-bit RTP timestamp (compare as unsigned, or extend with {@link TimestampExtender}). */
    public int timestamp() {
        return timestamp;
    }

    public int ssrc() {
        return ssrc;
    }

    /** Index of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** The header extension's profile (e.g. ONVIF's {@code 0xABAC}), or -1 without extension. */
    public int extensionProfile() {
        return extensionProfile;
    }

    /** Index of the extension's data (after its 4-byte header) in {@link #buffer()}. */
    public int extensionOffset() {
        return extensionOffset;
    }

    public int extensionLength() {
        return extensionLength;
    }
}
