package org.vigie.playback.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.playback.Viewer;

/**
 * Intercepts {@code GET /api/v1/stream} in the HTTP pipeline and turns it into a WebSocket of the streaming
 * protocol; every other request passes on. The bearer token comes from the {@code Authorization} header, or, for
 * browsers (which cannot set it on a WebSocket), from a {@code Sec-WebSocket-Protocol} entry
 * {@code bearer.<token>} offered next to {@link #SUBPROTOCOL}, or from an {@code access_token} query parameter.
 * Authentication is blocking, so it runs on the endpoint's workers; back on the event loop, a valid user gets
 * Netty's {@link WebSocketServerProtocolHandler} (which does the handshake, answering {@link #SUBPROTOCOL}) and a
 * {@link StreamSession}; otherwise 401 (or 503 when the workers are saturated).
 *
 * <p>Sharable and stateless. Reference counting: the request is released here when answered with an error, and
 * passed on to the protocol handler (which releases it) when upgraded.
 */
@ChannelHandler.Sharable
final class StreamUpgradeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(StreamUpgradeHandler.class);
    /** The subprotocol of this protocol's version. */
    public static final String SUBPROTOCOL = "vigie.stream.v1";
    static final String BEARER_PROTOCOL_PREFIX = "bearer.";
    static final int MAX_CONTROL_MESSAGE = 64 * 1024;
    /** Outbound buffer of a streaming connection: a few key frames of several channels before "not writable". */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    private final StreamEndpoint endpoint;

    StreamUpgradeHandler(StreamEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req) || !isStreamPath(req.uri())) {
            ctx.fireChannelRead(msg);
            return;
        }
        String authorization = authorization(req);
        String remote = String.valueOf(ctx.channel().remoteAddress());
        ctx.channel().config().setAutoRead(false); // nothing more until the upgrade is decided
        String signedPath = ClientDrawing.asked(req) ? StreamEndpoint.CLIENT_DRAWS_PATH : StreamEndpoint.PATH;
        try {
            endpoint.workers().execute(() -> {
                Optional<Viewer> p;
                try {
                    // a relayed connection asking for client drawing is admitted only if signed for it
                    p = authorization == null ? Optional.empty() : endpoint.access().authenticate(authorization,
                            "GET", signedPath);
                } catch (Exception e) {
                    LOG.error("authenticating a stream connection from {}", remote, e);
                    p = Optional.empty();
                }
                Optional<Viewer> principal = p;
                ctx.executor().execute(() -> decide(ctx, req, principal, authorization));
            });
        } catch (RejectedExecutionException e) {
            ctx.channel().config().setAutoRead(true);
            refuse(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "server busy, retry later");
        }
    }

    private void decide(ChannelHandlerContext ctx, FullHttpRequest req, Optional<Viewer> principal,
                        String authorization) {
        ctx.channel().config().setAutoRead(true);
        if (principal.isEmpty()) {
            refuse(ctx, req, HttpResponseStatus.UNAUTHORIZED, "authentication required: a bearer token in the "
                    + "Authorization header, a 'bearer.<token>' WebSocket subprotocol or an access_token parameter");
            return;
        }
        ctx.channel().config().setWriteBufferWaterMark(WATER_MARK);
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(StreamEndpoint.PATH).checkStartsWith(true).subprotocols(SUBPROTOCOL)
                .maxFramePayloadLength(MAX_CONTROL_MESSAGE).handleCloseFrames(true).build();
        String name = ctx.name();
        ctx.pipeline().addAfter(name, "stream-websocket", new WebSocketServerProtocolHandler(config));
        // relayed from another node (issue 13): the flag is honoured because that node vouched for it (the call was
        // signed for CLIENT_DRAWS_PATH); the Origin it checked was its own page's, not this node's
        boolean clientDraws = endpoint.access().relayed(principal.get()) ? ClientDrawing.asked(req)
                : ClientDrawing.honoured(req, authorization);
        ctx.pipeline().addAfter("stream-websocket", "stream-session", new StreamSession(endpoint, principal.get(),
                authorization, clientDraws));
        ctx.fireChannelRead(req);
        ctx.pipeline().remove(this);
    }

    static boolean isStreamPath(String uri) {
        String path = new QueryStringDecoder(uri).path();
        return path.equals(StreamEndpoint.PATH);
    }

    /** The Authorization header value to check, from the header, the subprotocol list or the query. */
    static String authorization(FullHttpRequest req) {
        String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (h != null) return h;
        String protocols = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (protocols != null) {
            for (String p : protocols.split(",")) {
                String t = p.trim();
                if (t.startsWith(BEARER_PROTOCOL_PREFIX) && t.length() > BEARER_PROTOCOL_PREFIX.length()) {
                    return "Bearer " + t.substring(BEARER_PROTOCOL_PREFIX.length());
                }
            }
        }
        List<String> q = new QueryStringDecoder(req.uri()).parameters().get("access_token");
        if (q != null && q.size() == 1) return "Bearer " + q.get(0);
        return null;
    }

    private static void refuse(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status,
                               String message) {
        req.release();
        byte[] body = ("{\"status\":" + status.code() + ",\"error\":\"" + message + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (status.equals(HttpResponseStatus.UNAUTHORIZED)) {
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"vigie\"");
        }
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
}
