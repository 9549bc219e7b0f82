package org.vigie.playback.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * The binary WebSocket messages of {@code /api/v1/stream}: a 13-byte header, then the payload.
 * <pre>
 *   offset 0  u8   type: 1 = init segment (ftyp + moov), 2 = media fragment (prft + moof + mdat)
 *   offset 1  u32  channel id (big-endian), as given by the client in "open"
 *   offset 5  i64  UTC wall time of the fragment's first frame in µs since the epoch (0 for an init segment)
 *   offset 13 ...  payload: append it as is to the channel's SourceBuffer
 * </pre>
 * Stateless.
 */
public final class MediaMessage {

    public static final int HEADER_BYTES = 13;
    public static final byte INIT_SEGMENT = 1;
    public static final byte FRAGMENT = 2;

    private MediaMessage() {
    }

    /** Header plus payload as one buffer (the payload is wrapped, not copied); the caller owns it. */
    static ByteBuf encode(ByteBufAllocator alloc, byte type, int channel, long wallMicros, byte[] payload) {
        ByteBuf header = alloc.buffer(HEADER_BYTES);
        header.writeByte(type).writeInt(channel).writeLong(wallMicros);
        return alloc.compositeBuffer(2).addComponents(true, header, Unpooled.wrappedBuffer(payload));
    }

    /** Parsed header of a received message (for clients and tests). */
    public record Header(byte type, int channel, long wallMicros) {
    }

    public static Header header(java.nio.ByteBuffer message) {
        if (message.remaining() < HEADER_BYTES) {
            throw new IllegalArgumentException("message shorter than its header: " + message.remaining());
        }
        int p = message.position();
        return new Header(message.get(p), message.getInt(p + 1), message.getLong(p + 5));
    }
}
