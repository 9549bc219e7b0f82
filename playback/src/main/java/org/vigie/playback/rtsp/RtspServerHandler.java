package org.vigie.playback.rtsp;

import org.vigie.rtsp.auth.BasicCredentials;
import org.vigie.rtsp.auth.Credentials;
import org.vigie.rtsp.header.Range;
import org.vigie.rtsp.header.SessionHeader;
import org.vigie.rtsp.header.Transport;
import org.vigie.rtsp.rtp.Packetizer;
import org.vigie.rtsp.sdp.SdpWriter;
import org.vigie.rtsp.server.MediaOutput;
import org.vigie.rtsp.server.RtpSender;
import org.vigie.rtsp.rtp.RtpStream;
import org.vigie.rtsp.server.TcpInterleavedOutput;
import org.vigie.rtsp.server.UdpOutput;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.base.InstantBounds;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.VideoFormat;
import org.vigie.base.privacy.MaskSet;
import org.vigie.playback.MaskLift;
import org.vigie.playback.MaskRefusedException;
import org.vigie.playback.Right;
import org.vigie.playback.privacy.BurnIn;
import org.vigie.playback.privacy.MaskedHubs;
import org.vigie.playback.privacy.MaskedSender;
import org.vigie.playback.Viewer;
import org.vigie.stream.StreamHub;

/**
 * The RTSP logic of one client connection: OPTIONS, DESCRIBE, SETUP (TCP interleaved or UDP unicast), PLAY, PAUSE,
 * GET_PARAMETER/SET_PARAMETER (keep-alive), TEARDOWN; Basic authentication against the server's users on every
 * method but OPTIONS; CSeq echoed on every answer.
 *
 * <p>Threading: the event loop only copies each request and hands it to the bounded worker executor, with reading
 * suspended until the answer is written, so requests of one connection are handled one at a time and in order
 * (authentication, the database and archive reads block). A full executor answers 503 at once.
 *
 * <p>Answers: unknown camera or nothing recorded → 404; no or wrong credentials → 401 with a Basic challenge; no
 * right on the camera → 403; unknown session → 454; unsupported transport → 461; bad Range → 457; a stream that is
 * not H.264 → 415; camera not streaming yet → 503; malformed request → 400. The connection's one session ends when
 * it closes.
 *
 * <p>Rights are re-checked while a session plays: every {@link RtspContext#recheckInterval()} the user is read
 * again from the database; an account deleted, or the right on the session's camera withdrawn, closes the
 * connection (RTSP 1.0 has no other way for a server to end a session), so an agent whose authorisation ends stops
 * seeing the camera within that interval.
 */
final class RtspServerHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RtspServerHandler.class);
    static final String SERVER = "Vigie/0.1";
    static final String PUBLIC_METHODS = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER, TEARDOWN";
    static final int SESSION_TIMEOUT_SECONDS = 60;
    /** Wall time between two RTCP sender reports (RFC 3550 suggests 5 s as the minimum report interval). */
    static final long REPORT_INTERVAL_MICROS = 5_000_000L;
    /** The CNAME of the sender reports' SDES. */
    static final String CNAME = "vigie";
    /** How long DESCRIBE of a live stream waits for the camera's first key frame. */
    static final long FIRST_FRAME_WAIT_MILLIS = 5000;

    private final RtspContext context;
    private final SecureRandom random = new SecureRandom();
    // Touched by one worker at a time (reading is suspended while a request is handled); volatile for the loop.
    private volatile Channel channel;
    private String verifiedAuthorization;
    private volatile Viewer user;
    private java.util.concurrent.ScheduledFuture<?> recheck;
    private RtspTarget described;
    private volatile RtspSession session;
    /**
     * The version of the camera's privacy masks this connection's media applies (-1 before any): when the periodic
     * re-check finds the camera's masks changed, a live session is switched to the stream of the new masks at its
     * next key frame, a masked replay burns them in from its next key frame ({@link #switchMasks}); otherwise the
     * connection is closed (the client reconnects).
     */
    private volatile long maskVersion = -1;
    /** The lift of liftable masks the connection's URL asked ({@code unmask=liftable&reason=}). */
    private volatile MaskLift lift = MaskLift.NONE;
    /** The masked live stream this connection holds, when its camera has masks in force. */
    private volatile MaskedHubs.Lease masked;

    RtspServerHandler(RtspContext context) {
        this.context = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        long every = context.recheckInterval().toMillis();
        recheck = ctx.channel().eventLoop().scheduleWithFixedDelay(() -> {
            if (session == null || user == null) return;
            try {
                context.workers().execute(this::recheck);
            } catch (RejectedExecutionException e) {
                // the workers are saturated: the next round checks again
            }
        }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    /** On a worker: the session's user and right, as stored now; the connection closes if either is gone. */
    private void recheck() {
        RtspSession s = session;
        Viewer u = user;
        Channel ch = channel;
        if (s == null || u == null || ch == null) return;
        try {
            Optional<Viewer> now = context.access().current(u.username());
            if (now.isEmpty() || !context.access().may(now.get(), Right.view(s.target().archive()), s.target().cameraId())) {
                LOG.info("RTSP session of '{}' on {} ended from {}: {}", u.username(), s.target().cameraId(),
                        ch.remoteAddress(), now.isEmpty() ? "the account was deleted" : "the right was withdrawn");
                ch.close();
                return;
            }
            long applied = maskVersion;
            if (applied >= 0) {
                long version = context.access().masks(now.get(), s.target().cameraId(), MaskLift.NONE,
                        Map.of("via", "rtsp", "start", "recheck")).version();
                if (version != applied && !switchMasks(s, now.get(), u)) {
                    // a switch that cannot be made: the client reconnects and gets them
                    LOG.info("RTSP session of '{}' on {} ended from {}: the privacy masks changed (version {} -> {})",
                            u.username(), s.target().cameraId(), ch.remoteAddress(), applied, version);
                    ch.close();
                }
            }
        } catch (Exception e) {
            LOG.warn("re-checking the RTSP session of '{}': {} (kept until the next check)", u.username(), e.toString());
        }
    }

    /**
     * On a worker: the camera's privacy masks changed while {@code s} plays (issue 14). A masked replay burns the new
     * masks in from its next key frame (an unmasked replay, or one left without mask, cannot: false). A live session is moved to
     * the stream of the masks now in force for the viewer (with the URL's lift, asked and audited again): the masked
     * stream of the new masks (a transcoding slot handed over from the old masked stream when this connection was
     * its last viewer), or the camera's own when none is left, from its next key frame on the same RTP stream
     * ({@link LiveFeed#switchTo}). False when it cannot: no burn-in on this listener, no free slot, the lift no
     * longer granted, the stream no longer pulled (the caller then closes the connection, as before).
     */
    private boolean switchMasks(RtspSession s, Viewer viewer, Viewer asked) throws Exception {
        MaskSet masks;
        try {
            masks = context.access().masks(viewer, s.target().cameraId(), lift,
                    Map.of("via", "rtsp", "start", "masks-changed"));
        } catch (MaskRefusedException e) {
            return false;
        }
        if (s.target().archive()) { // a masked replay takes the new masks at its next key frame, on its slot
            synchronized (this) {
                if (session != s) return true;
                if (!s.switchArchiveMasks(masks)) return false;
                maskVersion = masks.version();
            }
            LOG.info("RTSP replay of '{}' on {} switched to privacy masks version {}", asked.username(),
                    s.target().cameraId(), masks.version());
            return true;
        }
        Optional<StreamHub> camera = context.sources().hub(s.target().key());
        if (camera.isEmpty()) return false;
        if (!masks.isEmpty() && context.maskedHubs() == null) return false;
        MaskedHubs.Lease release = null;
        synchronized (this) {
            if (session != s) return true; // torn down meanwhile: nothing plays
            MaskedHubs.Lease held = masked;
            StreamHub hub;
            if (masks.isEmpty()) {
                hub = camera.get();
                masked = null;
                release = held;
            } else {
                try {
                    masked = context.maskedHubs().switchTo(held, camera.get(), masks); // closes held
                } catch (BurnIn.Busy e) {
                    LOG.info("RTSP session of '{}' on {}: no transcoding slot for the new privacy masks: {}",
                            asked.username(), s.target().cameraId(), e.getMessage());
                    return false;
                }
                hub = masked.hub();
            }
            s.switchLive(hub); // false when not playing yet: PLAY then takes the connection's stream
            maskVersion = masks.version();
        }
        if (release != null) release.close();
        LOG.info("RTSP session of '{}' on {} switched to privacy masks version {} ({})", asked.username(),
                s.target().cameraId(), masks.version(), masks.isEmpty() ? "the camera's own stream" : "burned in");
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Request r;
        try {
            String cseq = req.headers().get(RtspHeaderNames.CSEQ);
            if (req.decoderResult().isFailure()) {
                write(ctx.channel(), response(HttpResponseStatus.BAD_REQUEST, cseq), true);
                return;
            }
            r = new Request(req.method(), req.uri(), req.headers().copy(), cseq);
        } finally {
            req.release();
        }
        ctx.channel().config().setAutoRead(false);
        try {
            context.workers().execute(() -> handleOnWorker(ctx.channel(), r));
        } catch (RejectedExecutionException e) {
            write(ctx.channel(), response(RtspResponseStatuses.SERVICE_UNAVAILABLE, r.cseq), false);
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void handleOnWorker(Channel ch, Request r) {
        FullHttpResponse res;
        Runnable afterWrite = null;
        try {
            Answer a = handle(ch, r);
            res = a.response;
            afterWrite = a.afterWrite;
        } catch (Exception e) {
            LOG.warn("RTSP {} {} failed", r.method, r.uri, e);
            res = response(RtspResponseStatuses.INTERNAL_SERVER_ERROR, r.cseq);
        }
        write(ch, res, false);
        if (afterWrite != null) afterWrite.run();
        ch.config().setAutoRead(true);
    }

    /** A response, and what to start once it is written (the media of a PLAY comes after its answer). */
    private record Answer(FullHttpResponse response, Runnable afterWrite) {
        static Answer of(FullHttpResponse r) {
            return new Answer(r, null);
        }
    }

    private record Request(HttpMethod method, String uri, HttpHeaders headers, String cseq) {
    }

    private Answer handle(Channel ch, Request r) throws Exception {
        if (r.method.equals(RtspMethods.OPTIONS)) {
            FullHttpResponse res = response(RtspResponseStatuses.OK, r.cseq);
            res.headers().set(RtspHeaderNames.PUBLIC, PUBLIC_METHODS);
            return Answer.of(res);
        }
        if (context.security().refuseCredentials()) {
            // the plain port of a server that requires TLS: neither challenge nor check a password sent in clear
            if (r.headers.contains(RtspHeaderNames.AUTHORIZATION)) {
                LOG.info("RTSP credentials in clear refused from {} (rtsp.require-tls)", channel.remoteAddress());
            }
            return Answer.of(text(RtspResponseStatuses.FORBIDDEN, r.cseq, context.security().hint() != null
                    ? context.security().hint() : "credentials are not accepted over plain RTSP: use rtsps://"));
        }
        if (!authenticated(r)) {
            FullHttpResponse res = response(RtspResponseStatuses.UNAUTHORIZED, r.cseq);
            res.headers().set(RtspHeaderNames.WWW_AUTHENTICATE, BasicCredentials.challenge("vigie"));
            return Answer.of(res);
        }
        if (r.method.equals(RtspMethods.DESCRIBE)) return describe(ch, r);
        if (r.method.equals(RtspMethods.SETUP)) return setup(ch, r);
        if (r.method.equals(RtspMethods.PLAY)) return play(ch, r);
        if (r.method.equals(RtspMethods.PAUSE)) return pause(r);
        if (r.method.equals(RtspMethods.TEARDOWN)) return teardown(r);
        if (r.method.equals(RtspMethods.GET_PARAMETER) || r.method.equals(RtspMethods.SET_PARAMETER)) {
            RtspSession s = session;
            String id = sessionId(r);
            if (id != null && (s == null || !s.id().equals(id))) return Answer.of(response(RtspResponseStatuses.SESSION_NOT_FOUND, r.cseq));
            return Answer.of(withSession(response(RtspResponseStatuses.OK, r.cseq), s));
        }
        FullHttpResponse res = response(RtspResponseStatuses.METHOD_NOT_ALLOWED, r.cseq);
        res.headers().set(RtspHeaderNames.ALLOW, PUBLIC_METHODS);
        return Answer.of(res);
    }

    /**
     * Basic credentials: the password is checked once per connection (Argon2 is expensive) and the same header is
     * trusted after, but the user is read again at every request, so that its role and grants are used as they are
     * now (a deleted user is refused at once).
     */
    private boolean authenticated(Request r) throws Exception {
        String h = r.headers.get(RtspHeaderNames.AUTHORIZATION);
        if (h == null) return false;
        Viewer known = user;
        if (h.equals(verifiedAuthorization) && known != null) {
            Optional<Viewer> now = context.access().current(known.username());
            if (now.isEmpty()) {
                LOG.info("RTSP: user '{}' no longer exists; connection from {} refused", known.username(),
                        channel.remoteAddress());
                user = null;
                verifiedAuthorization = null;
                return false;
            }
            user = now.get();
            return true;
        }
        Optional<Credentials> basic = BasicCredentials.decode(h);
        if (basic.isEmpty()) return false;
        Optional<Viewer> p = context.access().login(basic.get().user(), basic.get().password(),
                String.valueOf(channel.remoteAddress()));
        if (p.isEmpty()) {
            LOG.info("RTSP authentication failed for '{}' from {}", printable(basic.get().user()),
                    channel.remoteAddress());
            return false;
        }
        user = p.get();
        verifiedAuthorization = h;
        return true;
    }

    private Optional<FullHttpResponse> refuse(RtspTarget t, String cseq) {
        if (context.access().camera(t.cameraId()).isEmpty()) {
            return Optional.of(response(RtspResponseStatuses.NOT_FOUND, cseq));
        }
        if (!context.access().may(user, Right.view(t.archive()), t.cameraId())) {
            LOG.info("RTSP: user '{}' has no {} right on camera {}", user.username(), t.archive() ? "archive" : "live",
                    t.cameraId());
            return Optional.of(response(RtspResponseStatuses.FORBIDDEN, cseq));
        }
        return Optional.empty();
    }

    private Answer describe(Channel ch, Request r) throws Exception {
        RtspTarget t;
        try {
            t = RtspTarget.parse(r.uri);
        } catch (RtspTarget.BadParameter e) {
            return Answer.of(text(RtspResponseStatuses.BAD_REQUEST, r.cseq, e.getMessage()));
        } catch (IllegalArgumentException e) {
            return Answer.of(text(RtspResponseStatuses.NOT_FOUND, r.cseq, e.getMessage()));
        }
        Optional<FullHttpResponse> refused = refuse(t, r.cseq);
        if (refused.isPresent()) return Answer.of(refused.get());
        VideoFormat format;
        String range;
        if (t.archive()) {
            MaskSet masks;
            try {
                masks = replayMasks(t, r);
            } catch (Refused e) {
                return Answer.of(e.response);
            }
            Instant start = t.start() != null ? t.start() : Instant.EPOCH;
            Frame first;
            try (var cursor = context.sources().archive().framesFrom(t.key(), start)) {
                first = cursor.hasNext() ? cursor.next() : null;
            }
            if (first == null) return Answer.of(text(RtspResponseStatuses.NOT_FOUND, r.cseq, "nothing recorded"));
            format = masks.isEmpty() ? first.format()
                    : MaskedSender.format(first, masks, context.maskedHubs().burnIn());
            // npt, relative to the URL's start: clients that do not speak ONVIF replay echo it as "npt=0-"
            range = "npt=0-";
        } else {
            Optional<StreamHub> camera = context.sources().hub(t.key());
            if (camera.isEmpty()) return Answer.of(text(RtspResponseStatuses.NOT_FOUND, r.cseq, "stream not pulled"));
            Optional<StreamHub> hub;
            try {
                hub = Optional.of(liveHub(camera.get(), t, r));
            } catch (Refused e) {
                return Answer.of(e.response);
            }
            Frame key = hub.get().lastKeyFrame();
            // a masked stream starts its transcoder first: it may take a little longer to give its first picture
            long wait = hub.get() == camera.get() ? FIRST_FRAME_WAIT_MILLIS : 2 * FIRST_FRAME_WAIT_MILLIS;
            long deadline = System.nanoTime() + wait * 1_000_000;
            while (key == null && System.nanoTime() < deadline) {
                Thread.sleep(50); // the camera is connecting: real time is the subject
                key = hub.get().lastKeyFrame();
            }
            if (key == null) return Answer.of(text(RtspResponseStatuses.SERVICE_UNAVAILABLE, r.cseq, "camera not streaming"));
            format = key.format();
            range = "npt=now-";
        }
        if (format.codec() != Codec.H264) {
            return Answer.of(text(RtspResponseStatuses.UNSUPPORTED_MEDIA_TYPE, r.cseq,
                    "the RTSP re-stream serves H.264 only, this stream is " + format.codec()));
        }
        String sdp;
        try {
            String host = ((InetSocketAddress) ch.localAddress()).getAddress().getHostAddress();
            sdp = SdpWriter.video("Vigie " + (t.archive() ? "archive " : "live ") + t.key(), host,
                    Math.abs(random.nextLong() >> 2), range, format, RtspTarget.TRACK, 0, 0);
        } catch (IllegalArgumentException e) {
            return Answer.of(text(RtspResponseStatuses.UNSUPPORTED_MEDIA_TYPE, r.cseq, e.getMessage()));
        }
        described = t;
        byte[] body = sdp.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, RtspResponseStatuses.OK,
                Unpooled.wrappedBuffer(body));
        common(res, r.cseq);
        res.headers().set(RtspHeaderNames.CONTENT_TYPE, "application/sdp");
        res.headers().set(RtspHeaderNames.CONTENT_BASE, r.uri.endsWith("/") ? r.uri : r.uri + "/");
        res.headers().setInt(RtspHeaderNames.CONTENT_LENGTH, body.length);
        return Answer.of(res);
    }

    private Answer setup(Channel ch, Request r) {
        RtspTarget t;
        try {
            t = RtspTarget.parse(r.uri);
        } catch (RtspTarget.BadParameter e) {
            return Answer.of(text(RtspResponseStatuses.BAD_REQUEST, r.cseq, e.getMessage()));
        } catch (IllegalArgumentException e) {
            if (described == null) return Answer.of(text(RtspResponseStatuses.NOT_FOUND, r.cseq, e.getMessage()));
            t = described;
        }
        if (described != null && described.key().equals(t.key()) && described.archive() == t.archive()) {
            t = described; // keeps start and scale of the DESCRIBE URL when the client's SETUP URL drops the query
        }
        Optional<FullHttpResponse> refused = refuse(t, r.cseq);
        if (refused.isPresent()) return Answer.of(refused.get());
        if (session != null) {
            String id = sessionId(r);
            if (id == null || !id.equals(session.id())) {
                return Answer.of(text(RtspResponseStatuses.AGGREGATE_OPERATION_NOT_ALLOWED, r.cseq,
                        "one session per connection"));
            }
            return Answer.of(text(RtspResponseStatuses.METHOD_NOT_VALID, r.cseq, "stream already set up"));
        }
        Optional<Transport> spec = Transport.chooseForServer(r.headers.get(RtspHeaderNames.TRANSPORT));
        if (spec.isEmpty()) return Answer.of(response(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, r.cseq));
        Transport ts = spec.get();
        if (context.security().tls() != null && !ts.tcp()) { // RTP over UDP would leave the TLS connection in clear
            return Answer.of(text(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, r.cseq,
                    "rtsps:// serves RTP interleaved in the TLS connection only (RTP/AVP/TCP)"));
        }
        MediaOutput out = ts.tcp() ? new TcpInterleavedOutput(ch, ts.interleaved())
                : new UdpOutput(context.udp(), ((InetSocketAddress) ch.remoteAddress()).getAddress(), ts.clientPort());
        byte[] idBytes = new byte[8];
        random.nextBytes(idBytes);
        RtpSender rtp = new RtpSender(new RtpStream(random.nextInt(), SdpWriter.PAYLOAD_TYPE, random.nextInt()),
                Packetizer.of(Codec.H264, context.maxPayload()), out, CNAME, REPORT_INTERVAL_MICROS, ch.alloc());
        RtspSession s = new RtspSession(HexFormat.of().formatHex(idBytes), t, rtp, random.nextInt());
        session = s;
        FullHttpResponse res = withSession(response(RtspResponseStatuses.OK, r.cseq), s);
        res.headers().set(RtspHeaderNames.TRANSPORT, out.transport(rtp.stream().ssrc()).format());
        return Answer.of(res);
    }

    private Answer play(Channel ch, Request r) throws Exception {
        RtspSession s = session;
        if (s == null || !s.id().equals(sessionId(r))) return Answer.of(response(RtspResponseStatuses.SESSION_NOT_FOUND, r.cseq));
        Optional<FullHttpResponse> refused = refuse(s.target(), r.cseq);
        if (refused.isPresent()) return Answer.of(refused.get());
        String rangeHeader = r.headers.get(RtspHeaderNames.RANGE);
        LOG.debug("PLAY {} Range: {} Scale: {}", r.uri, rangeHeader, r.headers.get(RtspHeaderNames.SCALE));
        Range range = null;
        if (rangeHeader != null) {
            try {
                range = Range.parse(rangeHeader);
            } catch (IllegalArgumentException e) {
                return Answer.of(text(RtspResponseStatuses.INVALID_RANGE, r.cseq, e.getMessage()));
            }
            if (range.clock() && (!InstantBounds.contains(range.start())
                    || (range.end() != null && !InstantBounds.contains(range.end())))) {
                return Answer.of(text(RtspResponseStatuses.INVALID_RANGE, r.cseq, "clock range out of bounds: "
                        + "dates must be " + InstantBounds.RANGE));
            }
        }
        Map<String, Object> audit = new LinkedHashMap<>();
        audit.put("protocol", "rtsp");
        audit.put("stream", s.target().stream());
        audit.put("remote", String.valueOf(ch.remoteAddress()));
        FullHttpResponse res = withSession(response(RtspResponseStatuses.OK, r.cseq), s);
        Runnable start;
        if (!s.target().archive()) {
            Optional<StreamHub> camera = context.sources().hub(s.target().key());
            if (camera.isEmpty()) return Answer.of(text(RtspResponseStatuses.NOT_FOUND, r.cseq, "stream not pulled"));
            Optional<StreamHub> hub;
            try {
                hub = Optional.of(liveHub(camera.get(), s.target(), r));
            } catch (Refused e) {
                return Answer.of(e.response);
            }
            LiveFeed feed = s.liveFeed(hub.get(), ch.eventLoop());
            res.headers().set(RtspHeaderNames.RANGE, "npt=now-");
            Frame key = hub.get().lastKeyFrame();
            res.headers().set(RtspHeaderNames.RTP_INFO, "url=" + r.uri + ";seq=" + s.rtp().stream().nextSequence()
                    + (key == null ? "" : ";rtptime=" + Integer.toUnsignedString(
                            RtpSender.timestamp(key.wallMicros(), s.timestampBase()))));
            start = feed::play;
            if (!s.audited()) {
                context.access().auditView(user, s.target().cameraId(), false, audit);
                s.markAudited();
            }
        } else {
            double scale = s.target().scale() != null ? s.target().scale() : 1.0;
            String scaleHeader = r.headers.get(RtspHeaderNames.SCALE);
            if (scaleHeader != null) {
                try {
                    scale = RtspTarget.parseScale(scaleHeader);
                } catch (IllegalArgumentException e) {
                    return Answer.of(text(RtspResponseStatuses.INVALID_RANGE, r.cseq, e.getMessage()));
                }
            }
            java.util.function.Function<MaskedSender.Target, MaskedSender> masked = null;
            if (!s.hasFeed()) {
                MaskSet masks;
                try {
                    masks = replayMasks(s.target(), r);
                } catch (Refused e) {
                    return Answer.of(e.response);
                }
                if (!masks.isEmpty()) {
                    BurnIn burnIn = context.maskedHubs().burnIn();
                    BurnIn.Slot slot;
                    try {
                        slot = burnIn.acquire();
                    } catch (BurnIn.Busy e) {
                        return Answer.of(text(RtspResponseStatuses.SERVICE_UNAVAILABLE, r.cseq, e.getMessage()));
                    }
                    masked = target -> new MaskedSender(masks, burnIn, slot, target);
                }
            }
            boolean rateControl = !"no".equalsIgnoreCase(String.valueOf(r.headers.get("Rate-Control")).trim());
            ArchiveFeed feed = s.archiveFeed(context.sources().archive(), context.archiveExecutor(), masked);
            Frame first;
            boolean seek = range != null || !s.positioned();
            if (seek) {
                Instant from;
                Instant to = null;
                if (range != null && range.clock()) {
                    from = range.start();
                    to = range.end();
                } else {
                    Instant base = s.target().start() != null ? s.target().start() : Instant.EPOCH;
                    double npt = range == null || range.nptStart() < 0 ? 0 : range.nptStart();
                    from = base.plusNanos((long) (npt * 1e9));
                    if (range != null && range.nptEnd() >= 0) to = base.plusNanos((long) (range.nptEnd() * 1e9));
                    if (!InstantBounds.contains(from) || (to != null && !InstantBounds.contains(to))) {
                        return Answer.of(text(RtspResponseStatuses.INVALID_RANGE, r.cseq, "npt range out of bounds: "
                                + "dates must be " + InstantBounds.RANGE));
                    }
                }
                first = feed.seek(from, to);
                s.markPositioned();
                audit.put("from", from.toString());
                audit.put("to", to == null ? null : to.toString());
                audit.put("scale", scale);
                context.access().auditView(user, s.target().cameraId(), true, audit);
            } else {
                first = feed.pending();
            }
            if (first != null) {
                res.headers().set(RtspHeaderNames.RANGE, Range.clockRange(
                        Instant.ofEpochSecond(0, first.wallMicros() * 1000), null));
                res.headers().set(RtspHeaderNames.RTP_INFO, "url=" + r.uri + ";seq=" + s.rtp().stream().nextSequence()
                        + ";rtptime=" + Integer.toUnsignedString(RtpSender.timestamp(first.wallMicros(),
                        s.timestampBase())));
            }
            res.headers().set(RtspHeaderNames.SCALE, formatScale(scale));
            if (!rateControl) res.headers().set("Rate-Control", "no");
            double sc = scale;
            int cseq = parseCseq(r.cseq);
            start = () -> feed.play(sc, rateControl, cseq);
        }
        return new Answer(res, start);
    }

    private static String formatScale(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) + ".0" : String.valueOf(d);
    }

    private static int parseCseq(String cseq) {
        try {
            return cseq == null ? 0 : Integer.parseInt(cseq.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A refusal to answer instead. */
    private static final class Refused extends Exception {
        final FullHttpResponse response;

        Refused(FullHttpResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    /** The privacy masks in force for this user on the target ({@code unmask=liftable&reason=} in the URL lift). */
    private MaskSet masks(RtspTarget t, Request r) throws Exception {
        MaskLift lift;
        try {
            lift = MaskLift.ofQuery(new QueryStringDecoder(r.uri).parameters());
        } catch (IllegalArgumentException e) {
            throw new Refused(text(RtspResponseStatuses.BAD_REQUEST, r.cseq, e.getMessage()));
        }
        try {
            MaskSet masks = context.access().masks(user, t.cameraId(), lift, Map.of("via", "rtsp"));
            maskVersion = masks.version();
            this.lift = lift;
            return masks;
        } catch (MaskRefusedException e) {
            throw new Refused(text(RtspResponseStatuses.FORBIDDEN, r.cseq, e.getMessage()));
        }
    }

    /**
     * The hub a live target is served from: the camera's when no mask is in force, else the masked stream of its
     * masks (a lease held by this connection until it closes or tears down; 503 when every transcoding slot is
     * taken).
     */
    private StreamHub liveHub(StreamHub camera, RtspTarget t, Request r) throws Exception {
        MaskSet masks = masks(t, r);
        synchronized (this) { // against a switch of the re-check (issue 14)
            return liveHub(camera, t, r, masks);
        }
    }

    private StreamHub liveHub(StreamHub camera, RtspTarget t, Request r, MaskSet masks) throws Exception {
        MaskedHubs.Lease held = masked;
        if (masks.isEmpty()) {
            if (held != null) {
                masked = null;
                held.close();
            }
            return camera;
        }
        if (held != null && held.masks().equals(masks) && held.hub().key().equals(camera.key())) return held.hub();
        if (context.maskedHubs() == null) {
            throw new Refused(text(RtspResponseStatuses.SERVICE_UNAVAILABLE, r.cseq, "camera '" + t.cameraId()
                    + "' has privacy masks and this listener cannot burn them in"));
        }
        MaskedHubs.Lease lease;
        try { // new masks since DESCRIBE: the slot of the old masked stream goes to the new one when it was its last
            lease = context.maskedHubs().switchTo(held, camera, masks); // closes held
        } catch (BurnIn.Busy e) {
            throw new Refused(text(RtspResponseStatuses.SERVICE_UNAVAILABLE, r.cseq, e.getMessage()));
        }
        masked = lease;
        return lease.hub();
    }

    /** The masks of a replay; a listener without the burn-in refuses a masked camera (503). */
    private MaskSet replayMasks(RtspTarget t, Request r) throws Exception {
        MaskSet masks = masks(t, r);
        if (!masks.isEmpty() && context.maskedHubs() == null) {
            throw new Refused(text(RtspResponseStatuses.SERVICE_UNAVAILABLE, r.cseq, "camera '" + t.cameraId()
                    + "' has privacy masks and this listener cannot burn them in"));
        }
        return masks;
    }

    private void releaseMasked() {
        MaskedHubs.Lease held;
        synchronized (this) {
            held = masked;
            masked = null;
        }
        if (held != null) held.close();
    }

    private Answer pause(Request r) {
        RtspSession s = session;
        if (s == null || !s.id().equals(sessionId(r))) return Answer.of(response(RtspResponseStatuses.SESSION_NOT_FOUND, r.cseq));
        s.pause();
        return Answer.of(withSession(response(RtspResponseStatuses.OK, r.cseq), s));
    }

    private Answer teardown(Request r) {
        RtspSession s = session;
        if (s == null || !s.id().equals(sessionId(r))) return Answer.of(response(RtspResponseStatuses.SESSION_NOT_FOUND, r.cseq));
        session = null;
        s.close();
        releaseMasked();
        return Answer.of(response(RtspResponseStatuses.OK, r.cseq));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        RtspSession s = session;
        if (s != null && ctx.channel().isWritable()) s.onWritable();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (recheck != null) recheck.cancel(false);
        RtspSession s = session;
        session = null;
        if (s != null) s.close();
        releaseMasked();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("RTSP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** The session the client names, without the ";timeout=" part. */
    private static String sessionId(Request r) {
        return SessionHeader.idOf(r.headers.get(RtspHeaderNames.SESSION));
    }

    private FullHttpResponse withSession(FullHttpResponse res, RtspSession s) {
        if (s != null) res.headers().set(RtspHeaderNames.SESSION, s.id() + ";timeout=" + context.sessionTimeoutSeconds());
        return res;
    }

    private static FullHttpResponse response(HttpResponseStatus status, String cseq) {
        FullHttpResponse res = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status);
        common(res, cseq);
        res.headers().setInt(RtspHeaderNames.CONTENT_LENGTH, 0);
        return res;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String cseq, String message) {
        byte[] body = (message + "\r\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status, Unpooled.wrappedBuffer(body));
        common(res, cseq);
        res.headers().set(RtspHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.headers().setInt(RtspHeaderNames.CONTENT_LENGTH, body.length);
        return res;
    }

    private static void common(FullHttpResponse res, String cseq) {
        if (cseq != null) res.headers().set(RtspHeaderNames.CSEQ, cseq);
        res.headers().set(RtspHeaderNames.SERVER, SERVER);
    }

    private static void write(Channel ch, FullHttpResponse res, boolean close) {
        if (close) {
            ch.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.writeAndFlush(res);
        }
    }

    /**
     * A client-supplied text safe for a log line: control characters (CR, LF, ESC...) shown as {@code \\uXXXX},
     * at most 64 characters, so that a user name cannot forge log lines or terminal sequences.
     */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return s.length() > 64 ? b.append("...").toString() : b.toString();
    }
}
