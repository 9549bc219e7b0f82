package org.vigie.server.cluster;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.cluster.NodeInfo;
import org.vigie.media.StreamKey;
import org.vigie.playback.PlaybackAccess;
import org.vigie.playback.Right;
import org.vigie.playback.Viewer;

/**
 * Exports of a window whose bytes are on another node (issue 13): {@code GET|HEAD
 * /api/v1/cameras/{id}/export.(mp4|zip)} asked of this node while this node holds nothing of {@code [from, to)}
 * and an up node does (the {@link ClusterArchive}). This node authenticates the user, checks the export right (a
 * refusal audited here), asks the holding node for the same URI as the user with the node-to-node credential
 * ({@link NodeClient}; Range passed on), audits the export here once the holding node answered it (that node does
 * not audit a relayed export; it writes the register, which is cluster-wide), and streams the answer back
 * unchanged. Every other request, and every export this node can serve itself, passes on to playback's handler.
 *
 * <p>Mounted before playback's handlers. Threads: the event loop only reads the request; the lookup and the relay
 * run on {@link #THREADS} threads of its own (queue {@link #QUEUE}; full: 503), one blocked per relayed export while
 * its client reads (each chunk waits for the previous one to be written: the client's pace). Sharable.
 */
@ChannelHandler.Sharable
public final class RemoteExportHandler extends ChannelInboundHandlerAdapter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteExportHandler.class);
    static final Pattern PATH = Pattern.compile("/api/v1/cameras/([A-Za-z0-9][A-Za-z0-9._-]{0,63})/export\\.(mp4|zip)");
    static final int THREADS = 4;
    static final int QUEUE = 32;
    static final int CHUNK = 64 * 1024;
    /** How long the holding node may take to start answering (a masked export is made before it is sent). */
    static final Duration HEAD_TIMEOUT = Duration.ofMinutes(2);
    static final List<String> HEADERS = List.of("content-type", "content-length", "content-range",
            "content-disposition", "accept-ranges", "x-export-start", "x-export-end", "x-export-masks",
            "x-export-cut");

    private final ClusterArchive cluster;
    private final NodeClient nodes;
    private final PlaybackAccess access;
    private final ThreadPoolExecutor executor;

    public RemoteExportHandler(ClusterArchive cluster, NodeClient nodes, PlaybackAccess access) {
        this.cluster = cluster;
        this.nodes = nodes;
        this.access = access;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "export-relay-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)
                || !(req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD))
                || NodeCredentials.isNodeCall(req.headers().get(HttpHeaderNames.AUTHORIZATION))) { // no second hop
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder qs;
        try {
            qs = new QueryStringDecoder(req.uri());
        } catch (IllegalArgumentException e) {
            ctx.fireChannelRead(msg);
            return;
        }
        Matcher m = PATH.matcher(qs.path());
        Instant from;
        Instant to;
        try {
            from = org.vigie.base.InstantBounds.parse(param(qs, "from"));
            to = org.vigie.base.InstantBounds.parse(param(qs, "to"));
        } catch (RuntimeException e) { // missing or malformed: playback's handler says so
            ctx.fireChannelRead(msg);
            return;
        }
        String stream = Optional.ofNullable(param(qs, "stream")).orElse(StreamKey.MAIN);
        if (!m.matches() || !to.isAfter(from) || !(stream.equals(StreamKey.MAIN) || stream.equals(StreamKey.SUB))) {
            ctx.fireChannelRead(msg);
            return;
        }
        StreamKey key = new StreamKey(m.group(1), stream);
        ctx.channel().config().setAutoRead(false);
        try {
            executor.execute(() -> decide(ctx, req, qs, key, from, to, m.group(2).equals("zip")));
        } catch (RejectedExecutionException e) {
            ctx.channel().config().setAutoRead(true);
            req.release();
            error(ctx.channel(), HttpResponseStatus.SERVICE_UNAVAILABLE, "too many exports in progress, retry later");
        }
    }

    /** On a relay thread: relays the export when another node holds the window, else passes it on. */
    private void decide(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs, StreamKey key,
                        Instant from, Instant to, boolean zip) {
        Optional<NodeInfo> holder;
        try {
            // one other up node holds the whole window: relayed as is; several nodes (an export across a
            // failover) or a down node's part: playback's handler gathers the parts into one file
            org.vigie.playback.export.ExportParts.Plan plan = cluster.exportPlan(key, from, to);
            holder = plan.parts().size() == 1 && !plan.parts().get(0).local() && plan.gaps().isEmpty()
                    ? cluster.upNode(plan.parts().get(0).node()) : Optional.empty();
        } catch (Exception e) {
            LOG.warn("cannot tell which node holds {} {}..{}: {}", key, from, to, e.toString());
            holder = Optional.empty();
        }
        if (holder.isEmpty()) {
            ctx.executor().execute(() -> {
                ctx.channel().config().setAutoRead(true);
                ctx.fireChannelRead(req);
            });
            return;
        }
        Channel ch = ctx.channel();
        try {
            relay(ch, req, qs, key, from, to, zip, holder.get());
        } catch (Exception e) {
            LOG.warn("relayed export of {} from node {} failed: {}", key, holder.get().id(), e.toString());
            if (ch.isActive()) ch.close();
        } finally {
            req.release();
            ch.config().setAutoRead(true);
        }
    }

    private void relay(Channel ch, FullHttpRequest req, QueryStringDecoder qs, StreamKey key, Instant from, Instant to,
                       boolean zip, NodeInfo holder) throws Exception {
        String path = qs.path();
        Optional<Viewer> user = access.authenticate(req.headers().get(HttpHeaderNames.AUTHORIZATION),
                req.method().name(), path);
        if (user.isEmpty()) {
            error(ch, HttpResponseStatus.UNAUTHORIZED, "authentication required: send 'Authorization: Bearer <token or "
                    + "API key>'");
            return;
        }
        String camera = key.cameraId();
        String remote = String.valueOf(ch.remoteAddress());
        if (access.camera(camera).isEmpty()) {
            error(ch, HttpResponseStatus.NOT_FOUND, "no camera '" + camera + "'");
            return;
        }
        if (!access.may(user.get(), Right.EXPORT, camera)) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("method", req.method().name());
            d.put("path", path);
            d.put("reason", "no export right on the camera");
            d.put("remote", remote);
            access.auditDenied(user.get(), camera, d);
            error(ch, HttpResponseStatus.FORBIDDEN, "no export right on camera '" + camera + "'");
            return;
        }
        String reason = param(qs, "reason");
        if (reason == null || reason.isBlank()) {
            error(ch, HttpResponseStatus.BAD_REQUEST, "an export needs a 'reason' (the law requires it)");
            return;
        }
        String range = req.headers().get(HttpHeaderNames.RANGE);
        java.net.http.HttpResponse<InputStream> answer = nodes.send(holder, req.method().name(), relayedUri(qs),
                user.get().username(), range, HEAD_TIMEOUT);
        try (InputStream body = answer.body()) {
            int status = answer.statusCode();
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
            for (String h : HEADERS) answer.headers().firstValue(h).ifPresent(v -> head.headers().set(h, v));
            head.headers().set("X-Served-By", holder.id());
            boolean hasBody = !req.method().equals(HttpMethod.HEAD);
            if (!head.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                if (hasBody) HttpUtil.setTransferEncodingChunked(head, true); else HttpUtil.setContentLength(head, 0);
            }
            head.headers().set(HttpHeaderNames.CONNECTION, "close");
            if (status / 100 == 2 && hasBody) {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("from", from.toString());
                detail.put("to", to.toString());
                detail.put("stream", key.stream());
                detail.put("format", zip ? "evidence-zip" : "mp4");
                detail.put("remote", remote);
                detail.put("node", holder.id());
                answer.headers().firstValue("content-range").ifPresent(v -> detail.put("range", v));
                answer.headers().firstValue("x-export-masks").ifPresent(v -> detail.put("maskVersion", v));
                access.auditExport(user.get(), camera, reason, detail);
            }
            ch.write(head);
            if (hasBody) {
                byte[] buf = new byte[CHUNK];
                int n;
                while ((n = body.readNBytes(buf, 0, CHUNK)) > 0) {
                    if (!ch.isActive()) return;
                    ChannelFuture f = ch.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(buf, 0, n)));
                    if (!ch.isWritable()) f.awaitUninterruptibly(); // the client's pace
                }
            }
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * The user's URI as relayed: without {@code part}, which only a node gathering a stitched export may send (a
     * node's part is unmasked: a user's {@code part=cluster} relayed with the node credential would get one).
     */
    static String relayedUri(QueryStringDecoder qs) {
        io.netty.handler.codec.http.QueryStringEncoder e = new io.netty.handler.codec.http.QueryStringEncoder(
                qs.path());
        qs.parameters().forEach((name, values) -> {
            if (!name.equals("part")) for (String v : values) e.addParam(name, v);
        });
        return e.toString();
    }

    private static String param(QueryStringDecoder qs, String name) {
        List<String> v = qs.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static void error(Channel ch, HttpResponseStatus status, String message) {
        byte[] body = ("{\"status\":" + status.code() + ",\"error\":\"" + message.replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (status.equals(HttpResponseStatus.UNAUTHORIZED)) {
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"vigie\"");
        }
        res.headers().set(HttpHeaderNames.CONNECTION, "close");
        ch.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
