package org.vigie.rtsp.interleaved;

import io.netty.buffer.ByteBuf;

/**
 * Takes interleaved frames as the {@link InterleavedDemuxer} finds them, without a message object per frame: the
 * frame lies at {@code buffer[offset, offset + length)}, borrowed for the duration of the call only (retain a slice
 * to keep any of it). Called on the channel's event loop; must not block.
 */
@FunctionalInterface
public interface InterleavedReceiver {

    void onInterleaved(int channel, ByteBuf buffer, int offset, int length);
}
