package org.vigie.rtsp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Turns each whole RTSP message the {@code InterleavedDemuxer} passes on into an {@link RtspResponse} or
 * {@link RtspRequest} ({@link RtspMessages#parse}); a malformed one fails the connection with the library's parse
 * error. Stateless but not sharable (Netty's decoders keep per-channel state).
 */
public final class RtspMessageDecoder extends MessageToMessageDecoder<ByteBuf> {

    public RtspMessageDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        out.add(RtspMessages.parse(ByteBufUtil.getBytes(msg)));
    }
}
