package org.vigie.server.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;

/** The HTTP pipeline, and nothing else: see {@link HandlerNames} for the handlers and their order. */
public final class HttpServerInitializer extends ChannelInitializer<SocketChannel> {

    /** Longest request line and header block accepted (a longer one is a 400/431). */
    static final int MAX_INITIAL_LINE = 8192;
    static final int MAX_HEADERS = 16384;
    /** A TLS handshake not done within this is abandoned (the connection closed). */
    static final long HANDSHAKE_TIMEOUT_MS = 10_000;

    private final SslContext ssl;
    private final int maxRequestBytes;
    private final ApiHandler api;
    private final java.util.List<io.netty.channel.ChannelHandler> mounted;
    private final org.vigie.rtsp.guard.ConnectionGuard guard;

    /** @param ssl null for plain HTTP */
    public HttpServerInitializer(SslContext ssl, int maxRequestBytes, ApiHandler api) {
        this(ssl, maxRequestBytes, api, java.util.List.of());
    }

    /** @param mounted sharable handlers between the aggregator and the API ({@link HandlerNames#MOUNTED}) */
    public HttpServerInitializer(SslContext ssl, int maxRequestBytes, ApiHandler api,
                                 java.util.List<io.netty.channel.ChannelHandler> mounted) {
        this(ssl, maxRequestBytes, api, mounted, null);
    }

    /** @param guard the connection limit and idle timeout, first in the pipeline, or null for none */
    public HttpServerInitializer(SslContext ssl, int maxRequestBytes, ApiHandler api,
                                 java.util.List<io.netty.channel.ChannelHandler> mounted,
                                 org.vigie.rtsp.guard.ConnectionGuard guard) {
        this.guard = guard;
        this.mounted = java.util.List.copyOf(mounted);
        this.ssl = ssl;
        this.maxRequestBytes = maxRequestBytes;
        this.api = api;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            io.netty.handler.ssl.SslHandler tls = ssl.newHandler(ch.alloc());
            tls.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MS);
            p.addLast(HandlerNames.TLS, tls);
        }
        p.addLast(HandlerNames.CODEC, new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, 8192));
        p.addLast(HandlerNames.AGGREGATOR, new HttpObjectAggregator(maxRequestBytes));
        for (int i = 0; i < mounted.size(); i++) {
            p.addLast(HandlerNames.MOUNTED + "-" + i, mounted.get(i));
        }
        p.addLast(HandlerNames.API, api);
        if (guard != null) {
            guard.install(p);
        }
    }
}
