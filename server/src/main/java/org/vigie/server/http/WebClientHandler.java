package org.vigie.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;
import org.vigie.web.WebClient;

/**
 * Serves the operators' browser client ({@link WebClient}, module {@code web}) at {@code GET /} and its files at
 * their paths; any other request (the API, the stream upgrade, an unknown path) passes on. The files hold no data
 * (the client signs in through the API), so they are public. Sanitisation is by construction: a path is looked up
 * as a whole in the client's fixed table, held in memory, so the event loop never does I/O.
 *
 * <p>The Content-Security-Policy allows scripts, styles, media and connections from this origin only (blob: for
 * the video elements' MediaSource and the thumbnails the client fetches with its token), and no framing.
 *
 * <p>Sharable; immutable.
 */
@ChannelHandler.Sharable
public final class WebClientHandler extends ChannelInboundHandlerAdapter {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
            + "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private final WebClient client;

    public WebClientHandler(WebClient client) {
        this.client = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)
                || !(req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD))) {
            ctx.fireChannelRead(msg);
            return;
        }
        Optional<WebClient.File> file;
        try {
            file = client.file(new QueryStringDecoder(req.uri()).path());
        } catch (IllegalArgumentException e) {
            file = Optional.empty();
        }
        if (file.isEmpty()) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean head = req.method().equals(HttpMethod.HEAD);
        ReferenceCountUtil.release(req);
        byte[] body = file.get().bytes();
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, file.get().contentType());
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        res.headers().set("X-Content-Type-Options", "nosniff");
        res.headers().set("X-Frame-Options", "DENY");
        res.headers().set("Referrer-Policy", "no-referrer");
        res.headers().set("Content-Security-Policy", CSP);
        HttpUtil.setKeepAlive(res, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
    }
}
