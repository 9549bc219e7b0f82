package org.vigie.playback.ws;

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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the player page and its script from the classpath folder {@code web/}: {@code GET /} is
 * {@code player.html}; {@code GET /<name>} serves a file of {@link #FILES} only. Sanitisation is by construction:
 * a path is looked up as a whole in the fixed table of files loaded at start-up ({@link #NAME}: one segment of
 * letters, digits and dashes plus an extension), so no request can name another resource or a file on disk.
 * Anything else passes on to the API. The files hold no data (the page logs in through the API), so they are
 * public.
 *
 * <p>Sharable; immutable after construction (the files are read once, so the event loop never does I/O).
 */
@ChannelHandler.Sharable
final class WebPageHandler extends ChannelInboundHandlerAdapter {

    static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}\\.(html|js|css)");
    static final Map<String, String> FILES = Map.of("player.html", "text/html; charset=utf-8",
            "player.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> content;

    WebPageHandler() {
        java.util.HashMap<String, byte[]> m = new java.util.HashMap<>();
        for (String name : FILES.keySet()) {
            try (InputStream in = WebPageHandler.class.getResourceAsStream("/web/" + name)) {
                if (in == null) throw new IllegalStateException("web/" + name + " missing from the classpath");
                m.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        content = Map.copyOf(m);
    }

    /** The file a request path names, or null. */
    static String fileOf(String path) {
        if (path.equals("/")) return "player.html";
        if (path.length() < 2) return null;
        String name = path.substring(1);
        return NAME.matcher(name).matches() && FILES.containsKey(name) ? name : null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req) || !req.method().equals(HttpMethod.GET)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String name;
        try {
            name = fileOf(new QueryStringDecoder(req.uri()).path());
        } catch (IllegalArgumentException e) {
            name = null;
        }
        if (name == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        ReferenceCountUtil.release(req);
        byte[] body = content.get(name);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, FILES.get(name));
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        res.headers().set("X-Content-Type-Options", "nosniff");
        // frame-ancestors: no other site may frame the operators' page (clickjacking); X-Frame-Options for old browsers
        res.headers().set("Content-Security-Policy", "default-src 'self'; media-src 'self' blob:; "
                + "connect-src 'self' ws: wss:; frame-ancestors 'none'");
        res.headers().set("X-Frame-Options", "DENY");
        HttpUtil.setKeepAlive(res, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
    }
}
