package org.vigie.rtsp.interleaved;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Outbound bytes already framed for RTSP interleaving ({@code $}, channel, 16-bit length, packet; RFC 2326
 * section 10.12), possibly several frames back to back. A type of its own so that it passes through an RTSP message
 * encoder untouched; {@link InterleavedEncoder} unwraps it below that encoder. Owns its buffer.
 */
public final class InterleavedPacket extends DefaultByteBufHolder {

    public InterleavedPacket(ByteBuf framed) {
        super(framed);
    }

    /** A buffer for one frame of {@code length} bytes on {@code channel}, its 4-byte framing already written. */
    public static ByteBuf newFrame(ByteBufAllocator alloc, int channel, int length) {
        if (length > 0xFFFF || channel < 0 || channel > 255) {
            throw new IllegalArgumentException("interleaved frame of " + length + " bytes on channel " + channel);
        }
        ByteBuf b = alloc.buffer(4 + length);
        writeFraming(b, channel, length);
        return b;
    }

    /** Writes the 4-byte framing of a frame of {@code length} bytes. */
    public static void writeFraming(ByteBuf out, int channel, int length) {
        if (length > 0xFFFF || channel < 0 || channel > 255) {
            throw new IllegalArgumentException("interleaved frame of " + length + " bytes on channel " + channel);
        }
        out.writeByte('$').writeByte(channel).writeShort(length);
    }
}
