package org.vigie.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Bytes already framed for RTSP interleaving ({@code $}, channel, length, packet; RFC 2326 section 10.12), written
 * to the RTSP channel. A distinct type so that it passes through the RTSP encoder untouched (that encoder rejects
 * raw {@code ByteBuf}s between messages); {@link InterleavedDataEncoder} unwraps it. Owns its buffer.
 */
final class InterleavedData extends DefaultByteBufHolder {

    InterleavedData(ByteBuf framed) {
        super(framed);
    }
}
