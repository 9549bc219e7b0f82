package org.vigie.playback.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Bytes already framed for RTSP interleaving ({@code $}, channel, length, packet; RFC 2326 section 10.12). A type
 * of its own so that it passes through the RTSP encoder untouched; {@link InterleavedPacketEncoder} unwraps it.
 * Owns its buffer.
 */
final class InterleavedPacket extends DefaultByteBufHolder {

    InterleavedPacket(ByteBuf framed) {
        super(framed);
    }
}
