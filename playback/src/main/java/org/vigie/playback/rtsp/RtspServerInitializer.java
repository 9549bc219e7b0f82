package org.vigie.playback.rtsp;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.rtsp.RtspDecoder;
import io.netty.handler.codec.rtsp.RtspEncoder;
import org.vigie.rtsp.interleaved.InterleavedDemuxer;
import org.vigie.rtsp.interleaved.InterleavedEncoder;

/** The pipeline of an RTSP connection, and nothing else: see {@link RtspHandlerNames} for the order. */
final class RtspServerInitializer extends ChannelInitializer<SocketChannel> {

    private final RtspContext context;
    private final org.vigie.rtsp.guard.ConnectionGuard guard;

    RtspServerInitializer(RtspContext context, org.vigie.rtsp.guard.ConnectionGuard guard) {
        this.context = context;
        this.guard = guard;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(RtspHandlerNames.DEMUX, InterleavedDemuxer.discardingInterleaved());
        p.addLast(RtspHandlerNames.DECODER, new RtspDecoder(4096, InterleavedDemuxer.MAX_HEAD, InterleavedDemuxer.MAX_BODY));
        p.addLast(RtspHandlerNames.AGGREGATOR, new HttpObjectAggregator(InterleavedDemuxer.MAX_BODY));
        p.addLast(RtspHandlerNames.INTERLEAVED_ENCODER, InterleavedEncoder.INSTANCE);
        p.addLast(RtspHandlerNames.ENCODER, new RtspEncoder());
        p.addLast(RtspHandlerNames.HANDLER, new RtspServerHandler(context));
        guard.install(p); // the connection limit, and the announced session timeout enforced (nothing read: closed)
        if (context.security().tls() != null) { // rtsps://: everything above reads and writes the clear text
            p.addFirst("tls", context.security().tls().newHandler(ch.alloc()));
        }
    }
}
