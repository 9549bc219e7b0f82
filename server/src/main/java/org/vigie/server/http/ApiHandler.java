package org.vigie.server.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of the HTTP pipeline. On the event loop it only copies the request out of Netty's buffers and
 * hands it to the bounded worker executor; the {@link ApiDispatcher} runs there, and the response is written
 * back through the channel (Netty moves the write onto the event loop). A full executor answers 503 at once, a
 * request Netty could not decode answers 400 and closes. Never blocks the event loop.
 *
 * <p>Sharable: holds no per-connection state. Reference counting: {@link SimpleChannelInboundHandler} releases the
 * request after {@link #channelRead0}, which has copied everything it needs.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final ApiDispatcher dispatcher;
    private final Executor workers;

    public ApiHandler(ApiDispatcher dispatcher, Executor workers) {
        this.dispatcher = dispatcher;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (req.decoderResult().isFailure()) {
            write(ctx, ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: "
                    + req.decoderResult().cause().getMessage()), false);
            return;
        }
        ApiRequest request;
        try {
            QueryStringDecoder qs = new QueryStringDecoder(req.uri());
            request = new ApiRequest(req.method(), qs.path(), qs.parameters(),
                    req.headers().get(HttpHeaderNames.AUTHORIZATION), req.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    ByteBufUtil.getBytes(req.content()), String.valueOf(ctx.channel().remoteAddress()));
        } catch (IllegalArgumentException e) {
            write(ctx, ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "malformed URI: " + e.getMessage()), keepAlive);
            return;
        }
        try {
            workers.execute(() -> write(ctx, dispatcher.dispatch(request), keepAlive));
        } catch (RejectedExecutionException e) {
            write(ctx, ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "server busy: too many requests in progress, retry later"), keepAlive);
        }
    }

    static void write(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(),
                Unpooled.wrappedBuffer(r.body()));
        if (r.contentType() != null) res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        res.headers().set("X-Content-Type-Options", "nosniff");
        if (r.status().equals(HttpResponseStatus.UNAUTHORIZED)) {
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"vigie\"");
        }
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
