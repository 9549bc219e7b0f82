package org.vigie.rtsp.interleaved;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One interleaved binary frame received on an RTSP connection (RFC 2326 section 10.12), typically an RTCP
 * receiver report of a TCP client. Owns its payload: the consumer releases it.
 */
public final class InterleavedFrame extends DefaultByteBufHolder {

    private final int channel;

    public InterleavedFrame(int channel, ByteBuf payload) {
        super(payload);
        this.channel = channel;
    }

    public int channel() {
        return channel;
    }
}
