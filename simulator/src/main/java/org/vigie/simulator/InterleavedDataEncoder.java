package org.vigie.simulator;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/** Unwraps {@link InterleavedData} into its bytes, below the RTSP encoder. Stateless, shared by all channels. */
@ChannelHandler.Sharable
final class InterleavedDataEncoder extends MessageToMessageEncoder<InterleavedData> {

    static final InterleavedDataEncoder INSTANCE = new InterleavedDataEncoder();

    @Override
    protected void encode(ChannelHandlerContext ctx, InterleavedData msg, List<Object> out) {
        out.add(msg.content().retain());
    }
}
