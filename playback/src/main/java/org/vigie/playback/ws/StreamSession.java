package org.vigie.playback.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.media.StreamKey;
import org.vigie.playback.Right;
import org.vigie.playback.Viewer;
import org.vigie.stream.StreamHub;

/**
 * One WebSocket connection of {@code /api/v1/stream}, after the handshake: the channels it carries and the control
 * messages that open, steer and close them. Opening checks the user's right on the camera and writes the audit
 * record on a worker thread (blocking), then creates the channel back on the event loop.
 *
 * <p>Rights are not only checked at the opening: every {@link StreamEndpoint#recheckInterval()} the endpoint has
 * the session {@link #recheck()} its credentials (a token revoked or expired, a user disabled: the connection is
 * closed with 1008) and the right behind each open channel (withdrawn, or the camera removed: that channel ends with
 * an error 403). An agent whose authorisation ends stops seeing the camera within that interval.
 *
 * <p>Thread confinement: the channel map and all handler callbacks are on the connection's event loop. Invariants:
 * at most {@link #MAX_CHANNELS} channels (open or being opened) per connection; a channel id is used by one channel at
 * a time; every channel is closed when the connection closes.
 */
final class StreamSession extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamSession.class);
    static final int MAX_CHANNELS = 64;

    private final StreamEndpoint endpoint;
    private final Viewer principal;
    /** The credentials the connection was opened with, presented again at each re-check. Never logged. */
    private final String authorization;
    private final Map<Integer, ViewChannel> channels = new LinkedHashMap<>();
    private final java.util.Set<Integer> opening = new java.util.HashSet<>();
    private ChannelHandlerContext ctx;
    private boolean inactive;

    StreamSession(StreamEndpoint endpoint, Viewer principal, String authorization) {
        this.endpoint = endpoint;
        this.principal = principal;
        this.authorization = authorization;
    }

    /**
     * Re-checks the credentials and the right behind each open channel (called by the endpoint's schedule, from any
     * thread): a snapshot of the channels on the event loop, the checks on a worker thread (they block), and the
     * verdict back on the event loop, where a channel is ended only if it is still the one that was checked.
     */
    void recheck() {
        if (ctx == null) return;
        ctx.executor().execute(() -> {
            if (inactive) return;
            List<ViewChannel> open = List.copyOf(channels.values());
            try {
                endpoint.workers().execute(() -> check(open));
            } catch (RejectedExecutionException e) {
                // the workers are saturated: the next round checks again
            }
        });
    }

    /** On a worker thread. */
    private void check(List<ViewChannel> open) {
        Optional<Viewer> now;
        List<ViewChannel> withdrawn = new java.util.ArrayList<>();
        try {
            now = endpoint.access().authenticate(authorization);
            if (now.isPresent()) {
                for (ViewChannel v : open) {
                    if (!endpoint.access().may(now.get(), Right.view(v.archive()), v.key().cameraId())) withdrawn.add(v);
                }
            }
        } catch (Exception e) {
            LOG.warn("re-checking the stream connection of {}: {} (kept until the next check)", principal.username(),
                    e.toString());
            return;
        }
        ctx.executor().execute(() -> {
            if (inactive) return;
            if (now.isEmpty()) {
                LOG.info("stream connection of {} closed: its credentials are no longer valid", principal.username());
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION,
                        "credentials no longer valid (token revoked or expired, or user disabled)"));
                ctx.close();
                return;
            }
            for (ViewChannel v : withdrawn) {
                if (channels.get(v.id()) != v) continue; // closed or replaced meanwhile
                channels.remove(v.id()).close();
                LOG.info("channel {} of {} on {} ended: the right was withdrawn", v.id(), principal.username(), v.key());
                error(v.id(), 403, "the " + (v.archive() ? "archive_view" : "live_view") + " right on camera '"
                        + v.key().cameraId() + "' was withdrawn");
            }
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        endpoint.register(this);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame text)) {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
                    "clients send JSON text messages only"));
            ctx.close();
            return;
        }
        String body = text.text();
        try {
            handle(Command.parse(body));
        } catch (ChannelRefusedException e) {
            error(Command.channelOf(body), e.status(), e.getMessage());
        }
    }

    private void handle(Command c) throws ChannelRefusedException {
        if (c.op().equals("open")) {
            open(c);
            return;
        }
        ViewChannel v = channels.get(c.channel());
        if (v == null) throw new ChannelRefusedException(404, "no open channel " + c.channel());
        if (c.op().equals("close")) {
            channels.remove(c.channel()).close();
            ObjectNode e = event("closed", c.channel());
            ctx.writeAndFlush(new TextWebSocketFrame(e.toString()));
            return;
        }
        v.command(c);
    }

    private void open(Command c) throws ChannelRefusedException {
        if (channels.containsKey(c.channel()) || opening.contains(c.channel())) {
            throw new ChannelRefusedException(409, "channel " + c.channel() + " is already open");
        }
        if (channels.size() + opening.size() >= MAX_CHANNELS) {
            throw new ChannelRefusedException(429, "at most " + MAX_CHANNELS + " channels per connection");
        }
        String remote = String.valueOf(ctx.channel().remoteAddress());
        opening.add(c.channel());
        try {
            endpoint.workers().execute(() -> {
                ChannelRefusedException refused = null;
                try {
                    authorizeView(c.key(), c.from(), remote);
                } catch (ChannelRefusedException e) {
                    refused = e;
                } catch (Exception e) {
                    LOG.error("authorising {} for {}", c.key(), principal.username(), e);
                    refused = new ChannelRefusedException(500, "internal error (see the server log)");
                }
                ChannelRefusedException r = refused;
                ctx.executor().execute(() -> opened(c, r));
            });
        } catch (RejectedExecutionException e) {
            opening.remove(c.channel());
            throw new ChannelRefusedException(503, "server busy, retry later");
        }
    }

    /**
     * On a worker thread: checks that the user may watch {@code key} live ({@code from == null}) or from the archive
     * and writes the audit record of the view (with the stream, the start of an archive view and the remote
     * address); throws 404 for an unknown camera, 403 without the right (the refusal audited).
     */
    private void authorizeView(StreamKey key, java.time.Instant from, String remote) throws Exception {
        Right needed = Right.view(from != null);
        if (endpoint.access().camera(key.cameraId()).isEmpty()) {
            throw new ChannelRefusedException(404, "no camera '" + key.cameraId() + "'");
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("stream", key.stream());
        detail.put("via", "websocket");
        detail.put("remote", remote);
        if (from != null) detail.put("from", from.toString());
        if (!endpoint.access().may(principal, needed, key.cameraId())) {
            detail.put("reason", "lacks " + needed.label() + " on the camera");
            endpoint.access().auditDenied(principal, key.cameraId(), detail);
            throw new ChannelRefusedException(403, "no " + needed.label() + " right on camera '" + key.cameraId() + "'");
        }
        endpoint.access().auditView(principal, key.cameraId(), from != null, detail);
    }

    /** On the event loop, after the right check. */
    private void opened(Command c, ChannelRefusedException refused) {
        opening.remove(c.channel());
        if (inactive) return;
        if (refused != null) {
            error(c.channel(), refused.status(), refused.getMessage());
            return;
        }
        ChannelOutput out = new ChannelOutput(c.channel(), ctx.channel(), c.key(), c.from() == null ? "live" : "archive");
        ViewChannel v;
        if (c.from() == null) {
            StreamHub hub = endpoint.sources().hub(c.key()).orElse(null);
            if (hub == null) {
                error(c.channel(), 404, "stream " + c.key() + " is not pulled (camera disabled or no such stream)");
                return;
            }
            v = new LiveChannel(out, hub, endpoint.writeObserver());
        } else {
            v = new ArchiveChannel(out, endpoint.sources().archive(), endpoint.archiveExecutor(), c.from(), c.rate(),
                    c.thenLive(), this::switchToLive);
        }
        channels.put(c.channel(), v);
        v.start();
    }

    /** Called on the archive executor when an archive channel with thenLive reaches the live edge. */
    private void switchToLive(ArchiveChannel a) {
        ctx.executor().execute(() -> {
            if (channels.get(a.id()) != a) return; // closed meanwhile
            ChannelOutput out = a.output();
            StreamHub hub = endpoint.sources().hub(out.key()).orElse(null);
            if (hub == null) {
                channels.remove(a.id());
                ObjectNode e = event("ended", a.id());
                ctx.writeAndFlush(new TextWebSocketFrame(e.toString()));
                return;
            }
            out.muxer().rate(1.0);
            LiveChannel live = new LiveChannel(out, hub, endpoint.writeObserver());
            channels.put(a.id(), live);
            ctx.writeAndFlush(new TextWebSocketFrame(event("live", a.id()).toString()));
            live.start();
        });
    }

    private void error(int channel, int status, String message) {
        ObjectNode e = event("error", channel);
        e.put("status", status).put("message", message);
        ctx.writeAndFlush(new TextWebSocketFrame(e.toString()));
    }

    private static ObjectNode event(String name, int channel) {
        ObjectNode n = ChannelOutput.JSON.createObjectNode();
        n.put("event", name);
        if (channel >= 0) n.put("channel", channel);
        return n;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            for (ViewChannel v : List.copyOf(channels.values())) {
                v.resume();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        channels.values().forEach(ViewChannel::close);
        channels.clear();
        endpoint.unregister(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("stream connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** The user of this connection. */
    Viewer principal() {
        return principal;
    }

    /** A snapshot of the channels (taken on the event loop; see {@link StreamEndpoint#stats()}). */
    List<StreamEndpoint.ChannelStats> stats() {
        return channels.values().stream().map(v -> new StreamEndpoint.ChannelStats(principal.username(),
                v instanceof LiveChannel ? "live" : "archive", v.id(), v.sent(), v.dropped())).toList();
    }

    ChannelHandlerContext context() {
        return ctx;
    }
}
