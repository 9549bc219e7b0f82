package org.vigie.playback.rtsp;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/** Unwraps {@link InterleavedPacket} into its bytes, below the RTSP encoder. Stateless, shared by all channels. */
@ChannelHandler.Sharable
final class InterleavedPacketEncoder extends MessageToMessageEncoder<InterleavedPacket> {

    static final InterleavedPacketEncoder INSTANCE = new InterleavedPacketEncoder();

    @Override
    protected void encode(ChannelHandlerContext ctx, InterleavedPacket msg, List<Object> out) {
        out.add(msg.content().retain());
    }
}
