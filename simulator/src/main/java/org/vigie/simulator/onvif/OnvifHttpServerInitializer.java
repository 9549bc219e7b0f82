package org.vigie.simulator.onvif;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/** The pipeline of the simulator's ONVIF HTTP server: codec, aggregator (requests up to 1 MiB), handler. */
final class OnvifHttpServerInitializer extends ChannelInitializer<SocketChannel> {

    static final int MAX_REQUEST_BYTES = 1 << 20;
    private final OnvifHttpHandler handler;

    OnvifHttpServerInitializer(OnvifHttpHandler handler) {
        this.handler = handler;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast("http", new HttpServerCodec())
                .addLast("aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast("onvif", handler);
    }
}
