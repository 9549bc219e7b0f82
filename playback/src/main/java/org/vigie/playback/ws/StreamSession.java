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
 * <p>Rights are used as they are now, never as they were at the upgrade: every view that starts (an {@code open},
 * a {@code seek} of an archive channel, an archive channel switching live at the live edge) first authenticates
 * the connection's credentials again (the role and grants stored now; a token revoked or expired, a user deleted:
 * error 401, then the connection is closed with 1008) and checks and audits the view with that principal. Every
 * {@link StreamEndpoint#recheckInterval()} the endpoint moreover has the session {@link #recheck()} the
 * credentials and the right behind each open channel (withdrawn, or the camera removed: that channel ends with an
 * error 403). An agent whose authorisation ends opens nothing more at once, and stops seeing what is open within
 * that interval.
 *
 * <p>Thread confinement: the channel map and all handler callbacks are on the connection's event loop. Invariants:
 * at most {@link #MAX_CHANNELS} channels (open or being opened) per connection; a channel id is used by one channel at
 * a time; every channel is closed when the connection closes.
 */
final class StreamSession extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamSession.class);
    static final int MAX_CHANNELS = 64;
    /** Most control messages of one channel waiting behind a seek being authorised. */
    static final int MAX_QUEUED = 64;

    /** What starts a view, named in its audit record ({@code start}). */
    enum ViewStart {
        /** A channel opened. */
        OPEN,
        /** An archive channel moved to another time: another part of the recording is shown. */
        SEEK,
        /** An archive channel opened with {@code thenLive} reached the live edge and goes on live. */
        LIVE_EDGE;

        /** The name in the audit record's {@code start} detail. */
        String auditName() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    static final String CREDENTIALS_GONE = "credentials no longer valid (token revoked or expired, or user deleted)";

    private final StreamEndpoint endpoint;
    /** The user as last authenticated (refreshed before each view starts). */
    private volatile Viewer principal;
    /** The credentials the connection was opened with, presented again at each re-check. Never logged. */
    private final String authorization;
    private final Map<Integer, ViewChannel> channels = new LinkedHashMap<>();
    private final java.util.Set<Integer> opening = new java.util.HashSet<>();
    /** Messages for a channel whose seek is being authorised, applied in order once it is. */
    private final Map<Integer, java.util.ArrayDeque<Command>> afterSeek = new java.util.HashMap<>();
    private ChannelHandlerContext ctx;
    private boolean inactive;

    /**
     * Whether this connection draws privacy masks itself ({@link ClientDrawing}): it then gets the masks in force
     * in {@code opened} and {@code masks} events with the unmasked video; otherwise a camera with masks in force is
     * refused ({@link #maskedRefusal}).
     */
    private final boolean clientDraws;

    StreamSession(StreamEndpoint endpoint, Viewer principal, String authorization) {
        this(endpoint, principal, authorization, false);
    }

    StreamSession(StreamEndpoint endpoint, Viewer principal, String authorization, boolean clientDraws) {
        this.endpoint = endpoint;
        this.principal = principal;
        this.authorization = authorization;
        this.clientDraws = clientDraws;
    }

    /**
     * The refusal of a camera with privacy masks in force to a connection that does not draw them: never the raw
     * bytes (issue 14), when the endpoint has no burn-in ({@code MaskedHubs}); with it, live and archive channels
     * get the masked re-encode instead.
     */
    static ChannelRefusedException maskedRefusal(String camera) {
        return new ChannelRefusedException(403, "camera '" + camera + "' has privacy masks and this connection does "
                + "not draw them (subprotocol " + ClientDrawing.SUBPROTOCOL + ", honoured only for the server's own "
                + "page): no masked stream is available for it");
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
        Map<ViewChannel, Object> masksChanged = new java.util.HashMap<>(); // a MaskSet, or the refusal of a lift
        try {
            now = endpoint.access().authenticate(authorization);
            if (now.isPresent()) {
                principal = now.get();
                for (ViewChannel v : open) {
                    if (!endpoint.access().may(now.get(), Right.view(v.archive()), v.key().cameraId())) {
                        withdrawn.add(v);
                        continue;
                    }
                    if (v instanceof RelayChannel) continue; // the holding node re-checks its masks
                    Object m = masksNow(now.get(), v.output());
                    if (m != null) masksChanged.put(v, m);
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
                credentialsGone();
                return;
            }
            masksChanged.forEach((v, m) -> {
                if (channels.get(v.id()) != v) return; // closed or replaced meanwhile
                ChannelRefusedException refused = m instanceof ChannelRefusedException r ? r
                        : applyMasks(v, (org.vigie.base.privacy.MaskSet) m);
                if (refused != null) {
                    channels.remove(v.id()).close();
                    LOG.info("channel {} of {} on {} ended: its privacy masks changed", v.id(), principal.username(),
                            v.key());
                    error(v.id(), refused.status(), refused.getMessage());
                }
            });
            for (ViewChannel v : withdrawn) {
                if (channels.get(v.id()) != v) continue; // closed or replaced meanwhile
                channels.remove(v.id()).close();
                LOG.info("channel {} of {} on {} ended: the right was withdrawn", v.id(), principal.username(), v.key());
                error(v.id(), 403, "the " + (v.archive() ? "archive_view" : "live_view") + " right on camera '"
                        + v.key().cameraId() + "' was withdrawn");
            }
        });
    }

    /**
     * On a worker: the channel's masks if their version changed since they were sent, else null; a lift that is
     * no longer granted gives its refusal (a {@link ChannelRefusedException}). A lift is asked again (and audited)
     * only when the version changed.
     */
    private Object masksNow(Viewer viewer, ChannelOutput out) throws Exception {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("via", "websocket");
        detail.put("start", "masks-changed");
        org.vigie.base.privacy.MaskSet all = endpoint.access().masks(viewer, out.key().cameraId(),
                org.vigie.playback.MaskLift.NONE, detail);
        if (all.version() == out.masks().version()) return null;
        if (!out.lift().liftable()) return all;
        try {
            return endpoint.access().masks(viewer, out.key().cameraId(), out.lift(), detail);
        } catch (org.vigie.playback.MaskRefusedException e) {
            return new ChannelRefusedException(e.status(), e.getMessage());
        }
    }

    /**
     * On the event loop, after a view of an open channel was authorised again (seek, live edge): the refusal, or the
     * refusal the masks now in force give (a version the connection cannot be shown), else null (new masks sent).
     */
    private ChannelRefusedException masksApplied(ViewChannel v, ChannelRefusedException refused,
                                                 org.vigie.base.privacy.MaskSet masks) {
        if (refused != null || masks == null || inactive || channels.get(v.id()) != v) return refused;
        return applyMasks(v, masks);
    }

    /**
     * On the event loop: the channel's masks changed. A drawing connection gets the new masks ({@code masks} event).
     * A connection that does not draw them is switched (issue 14): to the masked stream with the new masks, or to
     * the camera's own when none is left, then told with a {@code masks} event naming the version and whether it is
     * burned in; the refusal when the endpoint has no burn-in, or 503 when a transcoding slot was needed and none is
     * free (the channel then ends).
     */
    private ChannelRefusedException applyMasks(ViewChannel v, org.vigie.base.privacy.MaskSet now) {
        ChannelOutput out = v.output();
        if (now.version() == out.masks().version()) return null;
        if (clientDraws || (now.isEmpty() && !out.burnedIn())) {
            out.masks(now);
            return null;
        }
        if (endpoint.maskedHubs() == null) return maskedRefusal(out.key().cameraId());
        try {
            if (v instanceof ArchiveChannel a) {
                a.masks(now, !now.isEmpty() && !a.burnsIn() ? burnIn().acquire() : null);
            } else if (v instanceof LiveChannel l) {
                StreamHub camera = endpoint.sources().hub(out.key()).orElse(null);
                if (camera == null) return new ChannelRefusedException(404, "stream " + out.key() + " is not pulled");
                if (now.isEmpty()) {
                    l.switchTo(camera, null);
                } else {
                    org.vigie.playback.privacy.MaskedHubs.Lease old =
                            l.lease() instanceof org.vigie.playback.privacy.MaskedHubs.Lease x ? x : null;
                    org.vigie.playback.privacy.MaskedHubs.Lease lease = endpoint.maskedHubs().switchTo(old, camera, now);
                    l.switchTo(lease.hub(), lease);
                }
                out.burnedIn(!now.isEmpty());
                out.masks(now);
            }
        } catch (org.vigie.playback.privacy.BurnIn.Busy e) {
            return new ChannelRefusedException(503, e.getMessage());
        }
        LOG.info("channel {} of {} on {} switched to privacy masks version {} ({})", v.id(), principal.username(),
                v.key(), now.version(), now.isEmpty() ? "the camera's own stream" : "burned in");
        return null;
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
        java.util.ArrayDeque<Command> queue = afterSeek.get(c.channel());
        if (queue != null) { // a seek of this channel is being authorised: keep the client's order
            if (queue.size() >= MAX_QUEUED) {
                throw new ChannelRefusedException(429, "at most " + MAX_QUEUED + " messages queued behind a seek");
            }
            queue.add(c);
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
        if (c.op().equals("seek") && v.archive()) {
            seek(v, c);
            return;
        }
        v.command(c);
    }

    /**
     * A seek shows another part of the recording: the right is checked as it is now and the view audited (with the
     * new time) before the channel moves; refused, the channel ends with the error.
     */
    private void seek(ViewChannel v, Command c) throws ChannelRefusedException {
        afterSeek.put(v.id(), new java.util.ArrayDeque<>());
        try {
            authorize(v.key(), c.to(), ViewStart.SEEK, v.output().lift(),
                    (refused, masks) -> sought(v, c, masksApplied(v, refused, masks)));
        } catch (ChannelRefusedException e) {
            afterSeek.remove(v.id());
            throw e;
        }
    }

    /** On the event loop, after a seek's right check: the seek, then the messages that came behind it, in order. */
    private void sought(ViewChannel v, Command c, ChannelRefusedException refused) {
        java.util.ArrayDeque<Command> queue = afterSeek.remove(v.id());
        if (inactive) return;
        if (channels.get(v.id()) == v) {
            if (refused != null) {
                channels.remove(v.id()).close();
                refuse(v.id(), refused);
            } else {
                try {
                    v.command(c);
                } catch (ChannelRefusedException e) {
                    error(v.id(), e.status(), e.getMessage());
                }
            }
        }
        while (queue != null && !queue.isEmpty() && !inactive) {
            Command next = queue.poll();
            ViewChannel now = channels.get(next.channel());
            if (next.op().equals("seek") && now != null && now.archive()) {
                afterSeek.put(next.channel(), queue); // the rest waits for this seek too
                try {
                    authorize(now.key(), next.to(), ViewStart.SEEK, now.output().lift(),
                            (r, masks) -> sought(now, next, masksApplied(now, r, masks)));
                } catch (ChannelRefusedException e) {
                    afterSeek.remove(next.channel());
                    error(next.channel(), e.status(), e.getMessage());
                    continue;
                }
                return;
            }
            try {
                handle(next);
            } catch (ChannelRefusedException e) {
                error(next.channel(), e.status(), e.getMessage());
            }
        }
    }

    /**
     * On a worker: authenticates the connection's credentials again (the principal as stored now), then checks and
     * audits the view with it; {@code then} runs back on the event loop with the refusal, or null when granted.
     * The privacy masks in force for the view (with the {@code lift} asked) are decided with the right
     * ({@link org.vigie.playback.PlaybackAccess#masks}): {@code then} gets them when granted, null when refused.
     *
     * @throws ChannelRefusedException 503 when the workers are saturated
     */
    private void authorize(StreamKey key, java.time.Instant from, ViewStart start, org.vigie.playback.MaskLift lift,
                           java.util.function.BiConsumer<ChannelRefusedException, org.vigie.base.privacy.MaskSet> then)
            throws ChannelRefusedException {
        String remote = String.valueOf(ctx.channel().remoteAddress());
        try {
            endpoint.workers().execute(() -> {
                ChannelRefusedException refused = null;
                org.vigie.base.privacy.MaskSet masks = null;
                try {
                    Optional<Viewer> now = endpoint.access().authenticate(authorization);
                    if (now.isEmpty()) {
                        refused = new ChannelRefusedException(401, CREDENTIALS_GONE);
                    } else {
                        principal = now.get();
                        masks = authorizeView(now.get(), key, from, remote, start, lift);
                    }
                } catch (ChannelRefusedException e) {
                    refused = e;
                } catch (Exception e) {
                    LOG.error("authorising {} for {}", key, principal.username(), e);
                    refused = new ChannelRefusedException(500, "internal error (see the server log)");
                }
                ChannelRefusedException r = refused;
                org.vigie.base.privacy.MaskSet m = masks;
                ctx.executor().execute(() -> then.accept(r, m));
            });
        } catch (RejectedExecutionException e) {
            throw new ChannelRefusedException(503, "server busy, retry later");
        }
    }

    /** A refusal on a channel; credentials that are no longer valid also close the connection. */
    private void refuse(int channel, ChannelRefusedException refused) {
        error(channel, refused.status(), refused.getMessage());
        if (refused.status() == 401) credentialsGone();
    }

    /** On the event loop: the token was revoked or expired, or the user deleted: 1008 and close. */
    private void credentialsGone() {
        if (inactive) return;
        LOG.info("stream connection of {} closed: its credentials are no longer valid", principal.username());
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION, CREDENTIALS_GONE));
        ctx.close();
    }

    private void open(Command c) throws ChannelRefusedException {
        if (channels.containsKey(c.channel()) || opening.contains(c.channel())) {
            throw new ChannelRefusedException(409, "channel " + c.channel() + " is already open");
        }
        if (channels.size() + opening.size() >= MAX_CHANNELS) {
            throw new ChannelRefusedException(429, "at most " + MAX_CHANNELS + " channels per connection");
        }
        opening.add(c.channel());
        try {
            authorize(c.key(), c.from(), ViewStart.OPEN, c.lift(), (r, masks) -> opened(c, r, masks));
        } catch (ChannelRefusedException e) {
            opening.remove(c.channel());
            throw e;
        }
    }

    /**
     * On a worker thread: checks that the user may watch {@code key} live ({@code from == null}) or from the archive
     * and writes the audit record of the view (with the stream, the start of an archive view and the remote
     * address); throws 404 for an unknown camera, 403 without the right (the refusal audited). Returns the privacy
     * masks in force (issue 14); throws 403 for a lift refused, and for a camera with masks in force when this
     * connection does not draw them (audited).
     */
    private org.vigie.base.privacy.MaskSet authorizeView(Viewer principal, StreamKey key, java.time.Instant from,
                                                         String remote, ViewStart start,
                                                         org.vigie.playback.MaskLift lift) throws Exception {
        Right needed = Right.view(from != null);
        if (endpoint.access().camera(key.cameraId()).isEmpty()) {
            throw new ChannelRefusedException(404, "no camera '" + key.cameraId() + "'");
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("stream", key.stream());
        detail.put("via", "websocket");
        detail.put("remote", remote);
        detail.put("start", start.auditName());
        if (from != null) detail.put("from", from.toString());
        if (!endpoint.access().may(principal, needed, key.cameraId())) {
            detail.put("reason", "lacks " + needed.label() + " on the camera");
            endpoint.access().auditDenied(principal, key.cameraId(), detail);
            throw new ChannelRefusedException(403, "no " + needed.label() + " right on camera '" + key.cameraId() + "'");
        }
        org.vigie.base.privacy.MaskSet masks;
        try {
            masks = endpoint.access().masks(principal, key.cameraId(), lift, detail);
        } catch (org.vigie.playback.MaskRefusedException e) {
            throw new ChannelRefusedException(e.status(), e.getMessage());
        }
        boolean burnedIn = !masks.isEmpty() && !clientDraws && endpoint.maskedHubs() != null;
        if (!masks.isEmpty() && !clientDraws && !burnedIn) {
            detail.put("reason", "privacy masks in force and the connection does not draw them");
            endpoint.access().auditDenied(principal, key.cameraId(), detail);
            throw maskedRefusal(key.cameraId());
        }
        detail.put("masks", masks.isEmpty() ? "none" : burnedIn ? "burned-in" : "client");
        detail.put("maskVersion", masks.version());
        endpoint.access().auditView(principal, key.cameraId(), from != null, detail);
        return masks;
    }

    /**
     * On the event loop, after the right check. In a cluster (issue 13), a stream whose bytes are on another node
     * (live: not pulled here; archive: nothing here from its start) is looked up on a worker and relayed from there
     * ({@link RelayChannel}); the right was checked and the view audited here, on the node the user asked.
     */
    private void opened(Command c, ChannelRefusedException refused, org.vigie.base.privacy.MaskSet masks) {
        if (refused == null && !inactive && endpoint.sources().clustered()
                && (c.from() != null || endpoint.sources().hub(c.key()).isEmpty())) {
            Viewer user = principal;
            try {
                endpoint.workers().execute(() -> {
                    org.vigie.playback.RemoteStream remote = null;
                    try {
                        remote = endpoint.sources().remote(user, c.key(), c.from(), clientDraws).orElse(null);
                    } catch (Exception e) {
                        LOG.warn("cannot tell which node holds {}: {}", c.key(), e.toString());
                    }
                    org.vigie.playback.RemoteStream r = remote;
                    ctx.executor().execute(() -> openHere(c, masks, r));
                });
            } catch (RejectedExecutionException e) {
                opening.remove(c.channel());
                error(c.channel(), 503, "server busy, retry later");
            }
            return;
        }
        opening.remove(c.channel());
        if (inactive) return;
        if (refused != null) {
            refuse(c.channel(), refused);
            return;
        }
        openHere(c, masks, null);
    }

    /** On the event loop: the channel, relayed from {@code remote} when given. */
    private void openHere(Command c, org.vigie.base.privacy.MaskSet masks, org.vigie.playback.RemoteStream remote) {
        opening.remove(c.channel());
        if (inactive) return;
        if (remote != null) {
            ChannelOutput out = new ChannelOutput(c.channel(), ctx.channel(), c.key(),
                    c.from() == null ? "live" : "archive", c.lift(), masks);
            RelayChannel relay = new RelayChannel(out, ctx.channel(), remote, RelayChannel.openMessage(c),
                    c.from() != null, ended -> channels.remove(ended.id(), ended));
            LOG.debug("channel {} of {} on {}: relayed from node {}", c.channel(), principal.username(), c.key(),
                    remote.node());
            channels.put(c.channel(), relay);
            relay.start();
            return;
        }
        ChannelOutput out = new ChannelOutput(c.channel(), ctx.channel(), c.key(), c.from() == null ? "live" : "archive",
                c.lift(), masks);
        ViewChannel v;
        if (c.from() == null) {
            StreamHub hub = endpoint.sources().hub(c.key()).orElse(null);
            if (hub == null) {
                error(c.channel(), 404, "stream " + c.key() + " is not pulled (camera disabled or no such stream)");
                return;
            }
            try {
                v = liveChannel(out, hub, masks);
            } catch (ChannelRefusedException e) {
                error(c.channel(), e.status(), e.getMessage());
                return;
            }
        } else {
            org.vigie.playback.privacy.BurnIn.Slot slot = null;
            if (burnsIn(masks)) { // the masked re-encode: this client does not draw masks
                try {
                    slot = endpoint.maskedHubs().burnIn().acquire();
                } catch (org.vigie.playback.privacy.BurnIn.Busy e) {
                    error(c.channel(), 503, e.getMessage());
                    return;
                }
            }
            v = new ArchiveChannel(out, endpoint.sources().archive(), endpoint.archiveExecutor(), c.from(), c.rate(),
                    c.thenLive(), this::switchToLive, burnIn(), slot);
        }
        channels.put(c.channel(), v);
        v.start();
    }

    /**
     * Called on the archive executor when an archive channel with thenLive reaches the live edge: going on live is
     * a live view, so it needs the live-view right as it is now, and is audited; without it the channel ends with
     * the error.
     */
    private void switchToLive(ArchiveChannel a) {
        ctx.executor().execute(() -> {
            if (inactive || channels.get(a.id()) != a) return; // closed meanwhile
            try {
                authorize(a.key(), null, ViewStart.LIVE_EDGE, a.output().lift(),
                        (refused, masks) -> goLive(a, masksApplied(a, refused, masks)));
            } catch (ChannelRefusedException e) {
                goLive(a, e);
            }
        });
    }

    /** On the event loop, after the live right was checked at the live edge. */
    private void goLive(ArchiveChannel a, ChannelRefusedException refused) {
        if (inactive || channels.get(a.id()) != a) return; // closed meanwhile
        ChannelOutput out = a.output();
        if (refused != null) {
            channels.remove(a.id());
            refuse(a.id(), refused);
            return;
        }
        StreamHub hub = endpoint.sources().hub(out.key()).orElse(null);
        if (hub == null) {
            channels.remove(a.id());
            ObjectNode e = event("ended", a.id());
            ctx.writeAndFlush(new TextWebSocketFrame(e.toString()));
            return;
        }
        LiveChannel live;
        try {
            live = liveChannel(out, hub, out.masks());
        } catch (ChannelRefusedException e) {
            channels.remove(a.id());
            error(a.id(), e.status(), e.getMessage());
            return;
        }
        synchronized (out) {
            out.muxer().rate(1.0);
        }
        channels.put(a.id(), live);
        ctx.writeAndFlush(new TextWebSocketFrame(event("live", a.id()).toString()));
        live.start();
    }

    /** Whether this connection gets {@code masks} burned in (it does not draw them, and they are not empty). */
    private boolean burnsIn(org.vigie.base.privacy.MaskSet masks) {
        return !masks.isEmpty() && !clientDraws;
    }

    private org.vigie.playback.privacy.BurnIn burnIn() {
        return endpoint.maskedHubs() == null ? null : endpoint.maskedHubs().burnIn();
    }

    /**
     * On the event loop: a live channel of {@code hub} with {@code masks}: the camera's hub, or for a connection that
     * does not draw masks the masked stream's (one transcoding shared by its viewers).
     *
     * @throws ChannelRefusedException 503 when every transcoding slot is taken
     */
    private LiveChannel liveChannel(ChannelOutput out, StreamHub hub, org.vigie.base.privacy.MaskSet masks)
            throws ChannelRefusedException {
        if (!burnsIn(masks)) {
            out.burnedIn(false);
            return new LiveChannel(out, hub, endpoint.writeObserver());
        }
        org.vigie.playback.privacy.MaskedHubs.Lease lease;
        try {
            lease = endpoint.maskedHubs().acquire(hub, masks);
        } catch (org.vigie.playback.privacy.BurnIn.Busy e) {
            throw new ChannelRefusedException(503, e.getMessage());
        }
        out.burnedIn(true);
        return new LiveChannel(out, lease.hub(), endpoint.writeObserver(), lease);
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
                v.archive() ? "archive" : "live", v.id(), v.sent(), v.dropped())).toList();
    }

    ChannelHandlerContext context() {
        return ctx;
    }
}
