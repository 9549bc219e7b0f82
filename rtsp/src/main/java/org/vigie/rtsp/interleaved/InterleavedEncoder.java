package org.vigie.rtsp.interleaved;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/** Unwraps {@link InterleavedPacket} into its bytes, below the RTSP encoder. Stateless, shared by all channels. */
@ChannelHandler.Sharable
public final class InterleavedEncoder extends MessageToMessageEncoder<InterleavedPacket> {

    public static final InterleavedEncoder INSTANCE = new InterleavedEncoder();

    private InterleavedEncoder() {
        super(InterleavedPacket.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, InterleavedPacket msg, List<Object> out) {
        out.add(msg.content().retain());
    }
}
