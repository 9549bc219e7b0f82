package org.vigie.rtsp.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.NtpTime;
import org.vigie.rtsp.RtspLimitException;
import org.vigie.rtsp.RtspParseException;
import org.vigie.rtsp.auth.ClientAuthenticator;
import org.vigie.rtsp.client.RtspClientException.Kind;
import org.vigie.rtsp.header.CSeq;
import org.vigie.rtsp.header.Challenge;
import org.vigie.rtsp.header.PublicMethods;
import org.vigie.rtsp.header.Range;
import org.vigie.rtsp.header.SessionHeader;
import org.vigie.rtsp.header.Transport;
import org.vigie.rtsp.interleaved.InterleavedDemuxer;
import org.vigie.rtsp.interleaved.InterleavedPacket;
import org.vigie.rtsp.message.RtspHeaders;
import org.vigie.rtsp.message.RtspMessageDecoder;
import org.vigie.rtsp.message.RtspRequest;
import org.vigie.rtsp.message.RtspResponse;
import org.vigie.rtsp.rtcp.ReceptionStats;
import org.vigie.rtsp.rtcp.RtcpPacket;
import org.vigie.rtsp.rtcp.SenderReport;
import org.vigie.rtsp.rtp.AccessUnit;
import org.vigie.rtsp.rtp.Depacketizer;
import org.vigie.rtsp.rtp.H264Depacketizer;
import org.vigie.rtsp.rtp.H265Depacketizer;
import org.vigie.rtsp.rtp.RtpPacket;
import org.vigie.rtsp.sdp.MediaDescription;
import org.vigie.rtsp.sdp.SessionDescription;
import org.vigie.rtsp.sdp.UnsupportedTrackException;
import org.vigie.rtsp.sdp.VideoTrack;

/**
 * One RTSP session of the Java client with one camera stream: OPTIONS, DESCRIBE, SETUP of the video track (RTP
 * interleaved in the RTSP connection), PLAY, then frames until {@link #stop()} or a failure. Authentication (Basic,
 * Digest) answers 401s; 301/302 redirects are followed on a new connection; {@code rtsps://} goes through Netty's
 * {@link SslHandler}. While playing: a keep-alive ({@code GET_PARAMETER}, or {@code OPTIONS} when the camera does
 * not list it) every half session timeout, an RTCP receiver report every few seconds, and the camera's sender
 * reports give each frame its NTP time.
 *
 * <p>Threads: everything runs on one event loop, chosen at creation, for the whole session; no method blocks.
 * The data path allocates the frame's {@code byte[]} (the access unit is copied once from the socket's buffers)
 * and the frame, and nothing per packet.
 *
 * <p>Invariants: {@link RtspClientListener#onClosed} is called exactly once and no frame follows it; frames of a
 * session start with a key frame, their media time (90 kHz, from the RTP timestamps extended to 64 bits, 0 at the
 * first frame) never decreases (a timestamp going back is clamped and counted), and their wall time comes from the
 * {@link FrameClock}.
 */
public final class RtspClientSession {

    private static final Logger LOG = LoggerFactory.getLogger(RtspClientSession.class);
    private static final int RTP_CHANNEL = 0;
    private static final long TEARDOWN_GRACE_MILLIS = 500;

    private enum State { CONNECTING, OPTIONS, DESCRIBE, SETUP, PLAY, PLAYING, CLOSED }

    private final RtspClient client;
    private final EventLoop loop;
    private final RtspClientOptions options;
    private final long sessionId;
    private final FrameClock frameClock;
    private final InstantSource clock;
    private final RtspClientListener listener;
    private final RandomGenerator random;
    private final Promise<Void> closeFuture;
    private final int localSsrc;

    // ---- event-loop state
    private State state = State.CONNECTING;
    private URI url;
    private Channel channel;
    private final CSeq cseq = new CSeq();
    private final Map<Integer, Pending> pending = new HashMap<>();
    private ClientAuthenticator auth;
    private boolean basicAllowed = true;
    private int redirects;
    private PublicMethods publicMethods = PublicMethods.UNKNOWN;
    private boolean keepAliveWithGetParameter = true;
    private String baseUrl;
    private String aggregateUrl;
    private VideoTrack track;
    private SessionHeader session;
    private int rtpChannel = RTP_CHANNEL;
    private int rtcpChannel = RTP_CHANNEL + 1;
    private Depacketizer depacketizer;
    private ReceptionStats reception;
    private final RtpPacket packet = new RtpPacket();
    private int remoteSsrc;
    private boolean remoteSsrcKnown;
    private ScheduledFuture<?> keepAlive;
    private ScheduledFuture<?> receiverReports;
    private boolean stopping;
    private boolean haveFirstTimestamp;
    private long firstTimestamp;
    private long lastMedia90k;
    private boolean haveSenderReport;
    private long senderReportTimestamp;
    private long senderReportNtpMicros;

    // ---- counters, written on the event loop, read from anywhere
    private volatile long frames;
    private volatile long bytes;
    private volatile long clamped;
    private volatile long badPackets;
    private volatile long senderReports;

    RtspClientSession(RtspClient client, EventLoop loop, RtspClientOptions options, long sessionId,
                      FrameClock frameClock, InstantSource clock, RtspClientListener listener, RandomGenerator random) {
        this.client = client;
        this.loop = loop;
        this.options = options;
        this.sessionId = sessionId;
        this.frameClock = frameClock;
        this.clock = clock;
        this.listener = listener;
        this.random = random;
        this.closeFuture = loop.newPromise();
        this.localSsrc = random.nextInt();
        this.url = options.url();
    }

    public long sessionId() {
        return sessionId;
    }

    public RtspClientOptions options() {
        return options;
    }

    /** Access units dropped so far after a gap or corruption (as {@link Stats#framesLost}, without a snapshot). */
    public long framesLost() {
        Depacketizer d = depacketizer;
        return d == null ? 0 : d.framesLost();
    }

    /** Counters of this session (approximate while it runs). */
    public Stats stats() {
        Depacketizer d = depacketizer;
        return new Stats(frames, bytes, d == null ? 0 : d.framesLost(), d == null ? 0 : d.framesSkipped(), clamped,
                d == null ? 0 : d.packets(), badPackets, senderReports);
    }

    /**
     * Counters of a session.
     *
     * @param frames        frames delivered
     * @param framesLost    access units dropped after a gap or corruption (and those depending on them)
     * @param framesSkipped access units before the first key frame with known parameter sets
     * @param clamped       frames whose timestamp went back, delivered with the previous media time
     * @param badPackets    interleaved RTP/RTCP packets that did not parse
     */
    public record Stats(long frames, long bytes, long framesLost, long framesSkipped, long clamped, long packets,
                        long badPackets, long senderReports) {
    }

    /** The codec of the track being received, once DESCRIBE was answered. */
    public Codec codec() {
        VideoTrack t = track;
        return t == null ? null : t.codec();
    }

    /**
     * Ends the session: TEARDOWN when playing (waiting briefly for its answer), then closes the connection. The
     * listener then gets {@code onClosed(null)} unless the session had already failed. Idempotent; never blocks.
     *
     * @return completes when the connection is closed
     */
    public Future<Void> stop() {
        loop.execute(this::stopOnLoop);
        return closeFuture;
    }

    /** Completes when the session is over (stopped or failed) and its connection closed. */
    public Future<Void> closeFuture() {
        return closeFuture;
    }

    void start() {
        loop.execute(this::connect);
    }

    // ---- connection

    private void connect() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CONNECTING;
        String host = url.getHost();
        boolean secure = url.getScheme().equalsIgnoreCase("rtsps");
        int port = url.getPort() > 0 ? url.getPort() : secure ? 322 : 554;
        client.resolve(host).whenComplete((address, error) -> loop.execute(() -> {
            if (state == State.CLOSED) {
                return;
            }
            if (error != null) {
                fail(Kind.CONNECTION_REFUSED, "cannot resolve " + host + ": " + error.getMessage(), 0, error);
                return;
            }
            ChannelFuture f = client.connect(loop, new InetSocketAddress(address, port),
                    (int) options.connectTimeout().toMillis(), ch -> initChannel(ch, secure, host, port));
            channel = f.channel();
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    if (f.channel() == channel) {
                        failOn(done.cause(), "connecting to " + host + ":" + port);
                    }
                    return;
                }
                if (!secure) {
                    onConnected(f.channel());
                }
            });
        }));
    }

    private void initChannel(Channel ch, boolean secure, String host, int port) {
        ChannelPipeline p = ch.pipeline();
        if (secure) {
            SslHandler ssl = client.sslContext(options.tls()).newHandler(ch.alloc(), host, port);
            ssl.setHandshakeTimeoutMillis(options.connectTimeout().toMillis());
            ssl.handshakeFuture().addListener(done -> {
                if (ch != channel) {
                    return;
                }
                if (done.isSuccess()) {
                    onConnected(ch);
                } else {
                    failOn(done.cause(), "TLS handshake with " + host + ":" + port);
                }
            });
            p.addLast("tls", ssl);
        }
        p.addLast("demux", InterleavedDemuxer.receiving((channel, buf, offset, length) -> {
            if (ch == this.channel) {
                onInterleaved(channel, buf, offset, length);
            }
        }));
        p.addLast("rtsp-decoder", new RtspMessageDecoder());
        p.addLast("session", new Handler(ch));
    }

    private void onConnected(Channel ch) {
        if (ch != channel || state != State.CONNECTING) {
            return;
        }
        state = State.OPTIONS;
        send("OPTIONS", url.toString(), null, this::onOptions);
    }

    // ---- the RTSP steps

    private void onOptions(RtspResponse r) {
        if (r.isSuccess()) {
            try {
                publicMethods = PublicMethods.parse(r.header("Public"));
            } catch (RtspParseException e) {
                publicMethods = PublicMethods.UNKNOWN;
            }
        }
        // OPTIONS is optional for a camera: another answer (404, 501) does not stop us
        state = State.DESCRIBE;
        send("DESCRIBE", url.toString(), h -> h.add("Accept", "application/sdp"), this::onDescribe);
    }

    private void onDescribe(RtspResponse r) {
        if (!r.isSuccess()) {
            failStatus("DESCRIBE", r);
            return;
        }
        baseUrl = absolute(firstNonNull(r.header("Content-Base"), r.header("Content-Location")), url.toString());
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(r.body());
        } catch (RtspParseException e) {
            fail(Kind.PROTOCOL_ERROR, "bad SDP: " + e.getMessage(), 0, e);
            return;
        }
        MediaDescription video = sdp.firstVideo(VideoTrack.ENCODINGS);
        if (video == null) {
            String offered = sdp.media().stream().filter(MediaDescription::isVideo).map(MediaDescription::encoding)
                    .findFirst().orElse(null);
            fail(offered != null ? Kind.UNSUPPORTED : Kind.PROTOCOL_ERROR, offered != null
                    ? "the camera sends " + (offered.isEmpty() ? "an unnamed video encoding" : offered)
                    + "; the Java client records H264 and H265" : "the SDP has no video track", 0, null);
            return;
        }
        try {
            track = VideoTrack.of(video, baseUrl);
        } catch (UnsupportedTrackException e) {
            fail(Kind.UNSUPPORTED, e.getMessage(), 0, e);
            return;
        }
        aggregateUrl = sdp.sessionControl() == null ? baseUrl
                : SessionDescription.controlUrl(baseUrl, sdp.sessionControl());
        state = State.SETUP;
        String transport = Transport.tcpInterleaved(RTP_CHANNEL).format();
        send("SETUP", track.controlUrl(), h -> h.add("Transport", transport), this::onSetup);
    }

    private void onSetup(RtspResponse r) {
        if (!r.isSuccess()) {
            if (r.status() == 461) {
                fail(Kind.UNSUPPORTED, "the camera refuses RTP over TCP (461 Unsupported Transport)", 461, null);
            } else {
                failStatus("SETUP", r);
            }
            return;
        }
        try {
            session = SessionHeader.parse(r.header("Session"));
            String t = r.header("Transport");
            if (t != null) {
                Transport answer = Transport.parseList(t).get(0);
                if (!answer.tcp()) {
                    fail(Kind.UNSUPPORTED, "the camera answered SETUP with RTP over UDP", 0, null);
                    return;
                }
                if (answer.interleaved() != null) {
                    rtpChannel = answer.interleaved().rtp();
                    rtcpChannel = answer.interleaved().rtcp();
                }
            }
        } catch (RtspParseException e) {
            fail(Kind.PROTOCOL_ERROR, "bad SETUP answer: " + e.getMessage(), 0, e);
            return;
        }
        reception = new ReceptionStats(track.clockRate());
        depacketizer = track.codec() == Codec.H264
                ? new H264Depacketizer(track.sps(), track.pps(), options.maxAccessUnitSize(), this::onAccessUnit)
                : new H265Depacketizer(track.vps(), track.sps(), track.pps(), options.maxAccessUnitSize(),
                        this::onAccessUnit);
        state = State.PLAY;
        send("PLAY", aggregateUrl, h -> h.add("Range", Range.nptFrom(0).format()), this::onPlay);
    }

    private void onPlay(RtspResponse r) {
        if (!r.isSuccess()) {
            failStatus("PLAY", r);
            return;
        }
        state = State.PLAYING;
        long every = session.keepAliveSeconds() * 1000L;
        keepAlive = loop.scheduleAtFixedRate(this::sendKeepAlive, every, every, TimeUnit.MILLISECONDS);
        long rr = options.receiverReportInterval().toMillis();
        receiverReports = loop.scheduleAtFixedRate(this::sendReceiverReport, rr, rr, TimeUnit.MILLISECONDS);
        try {
            listener.onPlaying(this);
        } catch (RuntimeException e) {
            LOG.warn("session {}: listener failed on playing", sessionId, e);
        }
    }

    private void sendKeepAlive() {
        if (state != State.PLAYING) {
            return;
        }
        boolean getParameter = keepAliveWithGetParameter && publicMethods.supports("GET_PARAMETER");
        String method = getParameter ? "GET_PARAMETER" : "OPTIONS";
        send(method, getParameter ? aggregateUrl : url.toString(), null, r -> {
            if (!r.isSuccess() && getParameter) {
                keepAliveWithGetParameter = false; // listed but refused: OPTIONS from now on
            }
        });
    }

    private void sendReceiverReport() {
        if (state != State.PLAYING || !remoteSsrcKnown || channel == null || !channel.isActive()) {
            return;
        }
        String cname = "vigie-" + Integer.toHexString(localSsrc);
        ByteBuf buf = channel.alloc().buffer(4 + RtcpPacket.maxLength(cname));
        int at = buf.writerIndex();
        buf.writeZero(4);
        RtcpPacket.writeReceiverReport(buf, localSsrc, reception.block(remoteSsrc, System.nanoTime()), cname);
        int length = buf.writerIndex() - at - 4;
        buf.setByte(at, '$').setByte(at + 1, rtcpChannel).setShort(at + 2, length);
        channel.writeAndFlush(buf, channel.voidPromise());
    }

    // ---- requests and answers

    /** A request waiting for its answer. */
    private record Pending(String method, String uri, Consumer<RtspHeaders.Builder> extra,
                           Consumer<RtspResponse> onResponse, int authAttempts, ScheduledFuture<?> timeout) {
    }

    private void send(String method, String uri, Consumer<RtspHeaders.Builder> extra,
                      Consumer<RtspResponse> onResponse) {
        send(method, uri, extra, onResponse, 0);
    }

    private void send(String method, String uri, Consumer<RtspHeaders.Builder> extra,
                      Consumer<RtspResponse> onResponse, int authAttempts) {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return;
        }
        int n = cseq.next();
        RtspHeaders.Builder h = RtspHeaders.builder().add("CSeq", Integer.toString(n))
                .add("User-Agent", options.userAgent());
        if (auth != null) {
            auth.authorization(method, uri).ifPresent(a -> h.add("Authorization", a));
        }
        if (session != null) {
            h.add("Session", session.id());
        }
        if (extra != null) {
            extra.accept(h);
        }
        RtspRequest request;
        try {
            request = new RtspRequest(method, uri, h.build(), null);
        } catch (IllegalArgumentException e) {
            fail(Kind.PROTOCOL_ERROR, "cannot write " + method + ": " + e.getMessage(), 0, e);
            return;
        }
        boolean keepAliveRequest = state == State.PLAYING;
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            Pending p = pending.remove(n);
            if (p == null) {
                return;
            }
            if (keepAliveRequest) {
                LOG.debug("session {}: no answer to keep-alive {} within {}", sessionId, method,
                        options.responseTimeout());
            } else if (!stopping) {
                fail(Kind.TIMEOUT, "no answer to " + method + " within " + options.responseTimeout().toMillis()
                        + " ms", 0, null);
            }
        }, options.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        pending.put(n, new Pending(method, uri, extra, onResponse, authAttempts, timeout));
        ch.writeAndFlush(request.encode(ch.alloc()), ch.voidPromise());
    }

    private void onResponse(RtspResponse r) {
        Pending p;
        String c = r.header("CSeq");
        if (c == null) {
            // some cameras forget CSeq: accept the answer when exactly one request waits
            if (pending.size() != 1) {
                LOG.debug("session {}: answer without CSeq ignored", sessionId);
                return;
            }
            p = pending.remove(pending.keySet().iterator().next());
        } else {
            int n;
            try {
                n = CSeq.parse(c);
            } catch (RtspParseException e) {
                fail(Kind.PROTOCOL_ERROR, "bad CSeq in an answer: " + e.getMessage(), 0, e);
                return;
            }
            p = pending.remove(n);
            if (p == null) {
                LOG.debug("session {}: answer to an unknown CSeq {} ignored", sessionId, n);
                return;
            }
        }
        p.timeout().cancel(false);
        if (r.status() == 401) {
            onUnauthorized(p, r);
        } else if (r.status() == 301 || r.status() == 302 || r.status() == 303 || r.status() == 307) {
            onRedirect(p, r);
        } else {
            p.onResponse().accept(r);
        }
    }

    private void onUnauthorized(Pending p, RtspResponse r) {
        if (options.credentials() == null) {
            fail(Kind.AUTHENTICATION_FAILED, "the camera asks for credentials (401) and none are configured", 401,
                    null);
            return;
        }
        List<Challenge> challenges;
        try {
            challenges = Challenge.parseAll(r.headers().getAll("WWW-Authenticate"));
        } catch (RtspParseException e) {
            fail(Kind.PROTOCOL_ERROR, "bad WWW-Authenticate: " + e.getMessage(), 401, e);
            return;
        }
        boolean stale = challenges.stream().anyMatch(ch -> ch.is("Digest") && ch.stale());
        if (p.authAttempts() >= (stale ? 2 : 1)) {
            fail(Kind.AUTHENTICATION_FAILED, "the camera refused the credentials of user '"
                    + options.credentials().user() + "' (401)", 401, null);
            return;
        }
        if (!basicAllowed) {
            challenges = challenges.stream().filter(ch -> !ch.is("Basic")).toList();
        }
        if (auth == null) {
            auth = new ClientAuthenticator(options.credentials(), random);
        }
        if (!auth.accept(challenges)) {
            fail(Kind.UNSUPPORTED, "no supported authentication scheme in "
                    + challenges.stream().map(Challenge::scheme).toList(), 401, null);
            return;
        }
        send(p.method(), p.uri(), p.extra(), p.onResponse(), p.authAttempts() + 1);
    }

    private void onRedirect(Pending p, RtspResponse r) {
        String location = r.header("Location");
        if (state == State.PLAYING || location == null) {
            p.onResponse().accept(r); // a keep-alive is not redirected
            return;
        }
        if (++redirects > options.maxRedirects()) {
            fail(Kind.PROTOCOL_ERROR, "more than " + options.maxRedirects() + " redirects", r.status(), null);
            return;
        }
        URI next;
        try {
            next = url.resolve(new URI(location.strip()));
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("rtsp") && !scheme.equals("rtsps") || next.getHost() == null) {
                throw new URISyntaxException(location, "not an RTSP URL");
            }
            if (next.getRawUserInfo() != null) {
                next = new URI(next.getScheme(), null, next.getHost(), next.getPort(), next.getRawPath(),
                        next.getRawQuery(), null);
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            fail(Kind.PROTOCOL_ERROR, "bad redirect Location " + RtspParseException.excerpt(location), r.status(), e);
            return;
        }
        LOG.info("session {}: {} redirected to {}", sessionId, url, next);
        if (!next.getHost().equalsIgnoreCase(url.getHost())) {
            basicAllowed = false; // never send a password in clear to another host
        }
        url = next;
        resetForNewConnection();
        connect();
    }

    private void resetForNewConnection() {
        Channel old = channel;
        channel = null;
        for (Pending p : pending.values()) {
            p.timeout().cancel(false);
        }
        pending.clear();
        auth = null;
        session = null;
        track = null;
        if (depacketizer != null) {
            depacketizer.close();
            depacketizer = null;
        }
        if (old != null) {
            old.close();
        }
    }

    private void failStatus(String method, RtspResponse r) {
        Kind kind = switch (r.status()) {
            case 404 -> Kind.NOT_FOUND;
            case 415, 451, 456, 458, 459, 460, 461 -> Kind.UNSUPPORTED;
            default -> Kind.STATUS;
        };
        fail(kind, method + " answered " + r.status() + (r.reason().isEmpty() ? "" : " " + r.reason()), r.status(),
                null);
    }

    private void onServerRequest(RtspRequest req) {
        // A camera may send OPTIONS or GET_PARAMETER to its client (RFC 2326 allows it): answer, do not fail.
        String method = req.method().toUpperCase(Locale.ROOT);
        int status = method.equals("OPTIONS") || method.equals("GET_PARAMETER") ? 200 : 501;
        String c = req.headers().get("CSeq");
        StringBuilder b = new StringBuilder("RTSP/1.0 ").append(status).append(status == 200 ? " OK" : " Not Implemented")
                .append("\r\n");
        if (c != null && c.chars().allMatch(Character::isDigit) && c.length() < 10) {
            b.append("CSeq: ").append(c).append("\r\n");
        }
        b.append("Content-Length: 0\r\n\r\n");
        if (channel != null) {
            channel.writeAndFlush(Unpooled.copiedBuffer(b, StandardCharsets.US_ASCII), channel.voidPromise());
        }
    }

    // ---- media

    private void onInterleaved(int ch, ByteBuf buf, int offset, int length) {
        if (state == State.CLOSED || depacketizer == null) {
            return;
        }
        if (ch == rtpChannel) {
            try {
                packet.parse(buf, offset, length);
            } catch (RtspParseException e) {
                badPackets++;
                return;
            }
            if (!remoteSsrcKnown) {
                remoteSsrc = packet.ssrc();
                remoteSsrcKnown = true;
            }
            reception.onPacket(packet.sequence(), packet.timestamp(), System.nanoTime());
            depacketizer.push(packet); // a bound exceeded throws: the demuxer fails the channel
        } else if (ch == rtcpChannel) {
            onRtcp(buf, offset, length);
        }
    }

    private void onRtcp(ByteBuf buf, int offset, int length) {
        RtcpPacket rtcp;
        try {
            rtcp = RtcpPacket.parse(buf, offset, length);
        } catch (RtspParseException e) {
            badPackets++;
            return;
        }
        for (SenderReport sr : rtcp.senderReports()) {
            if (remoteSsrcKnown && sr.ssrc() != remoteSsrc) {
                continue;
            }
            senderReports++;
            reception.onSenderReport(sr, System.nanoTime());
            if (depacketizer.timestamps().started()) {
                haveSenderReport = true;
                senderReportTimestamp = depacketizer.timestamps().peek(sr.rtpTimestamp());
                senderReportNtpMicros = NtpTime.toMicros(sr.ntpTimestamp());
            }
        }
        if (remoteSsrcKnown && rtcp.bye().contains(remoteSsrc) && state == State.PLAYING) {
            fail(Kind.END_OF_STREAM, "the camera ended the stream (RTCP BYE)", 0, null);
        }
    }

    private void onAccessUnit(AccessUnit au) {
        if (state == State.CLOSED) {
            return;
        }
        Instant now = clock.instant();
        long arrivalMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        if (!haveFirstTimestamp) {
            haveFirstTimestamp = true;
            firstTimestamp = au.timestamp();
        }
        long media90k = au.timestamp() - firstTimestamp;
        if (media90k < lastMedia90k) {
            clamped++;
            media90k = lastMedia90k;
        }
        lastMedia90k = media90k;
        long ntp = FrameClock.NO_NTP;
        if (haveSenderReport) {
            ntp = senderReportNtpMicros + Math.floorDiv((au.timestamp() - senderReportTimestamp) * 1000L, 90L);
        }
        long wall = frameClock.toWallMicros(media90k, arrivalMicros, ntp);
        Frame frame = new Frame(au.format(), sessionId, media90k, wall, au.keyFrame(), au.data());
        frames++;
        bytes += au.data().length;
        try {
            listener.onFrame(frame);
        } catch (RuntimeException e) {
            LOG.warn("session {}: frame listener threw", sessionId, e);
        }
    }

    // ---- end of the session

    private void stopOnLoop() {
        if (state == State.CLOSED || stopping) {
            return;
        }
        stopping = true;
        Channel ch = channel;
        if (state == State.PLAYING && ch != null && ch.isActive()) {
            cancelTimers();
            send("TEARDOWN", aggregateUrl, null, r -> close(null));
            loop.schedule(() -> close(null), TEARDOWN_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            close(null);
        }
    }

    private void failOn(Throwable cause, String during) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof RtspLimitException) {
            fail(Kind.LIMIT_EXCEEDED, c.getMessage(), 0, c);
        } else if (c instanceof RtspParseException) {
            fail(Kind.PROTOCOL_ERROR, c.getMessage(), 0, c);
        } else if (c instanceof ConnectTimeoutException) {
            fail(Kind.TIMEOUT, during + ": no connection within " + options.connectTimeout().toMillis() + " ms", 0, c);
        } else if (c instanceof ConnectException) {
            fail(Kind.CONNECTION_REFUSED, during + ": " + c.getMessage(), 0, c);
        } else if (c instanceof SSLException) {
            boolean timeout = c.getMessage() != null && c.getMessage().contains("timed out");
            fail(timeout ? Kind.TIMEOUT : Kind.TLS, during + ": " + c.getMessage(), 0, c);
        } else if (c instanceof IOException) {
            fail(Kind.NETWORK, during + ": " + c.getMessage(), 0, c);
        } else {
            LOG.warn("session {}: unexpected failure {}", sessionId, during, c);
            fail(Kind.INTERNAL, during + ": " + c, 0, c);
        }
    }

    private void fail(Kind kind, String message, int status, Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        close(new RtspClientException(kind, message, status, cause));
    }

    private void close(RtspClientException failure) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        cancelTimers();
        for (Pending p : pending.values()) {
            p.timeout().cancel(false);
        }
        pending.clear();
        if (depacketizer != null) {
            depacketizer.close();
        }
        Channel ch = channel;
        try {
            listener.onClosed(failure);
        } catch (RuntimeException e) {
            LOG.warn("session {}: listener failed on close", sessionId, e);
        }
        if (ch != null) {
            ch.close().addListener(done -> closeFuture.trySuccess(null));
        } else {
            closeFuture.trySuccess(null);
        }
    }

    private void cancelTimers() {
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        if (receiverReports != null) {
            receiverReports.cancel(false);
        }
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    /** A Content-Base that is an absolute RTSP URL, else the request URL. */
    private static String absolute(String base, String fallback) {
        if (base == null) {
            return fallback;
        }
        String b = base.strip();
        String lower = b.toLowerCase(Locale.ROOT);
        return lower.startsWith("rtsp://") || lower.startsWith("rtsps://") ? b : fallback;
    }

    /** The handler at the end of one connection's pipeline; events of a connection no longer current are ignored. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        private final Channel ch;

        Handler(Channel ch) {
            this.ch = ch;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (ch != channel) {
                    return;
                }
                if (msg instanceof RtspResponse r) {
                    onResponse(r);
                } else if (msg instanceof RtspRequest q) {
                    onServerRequest(q);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ch != channel || state == State.CLOSED) {
                return;
            }
            if (stopping) {
                close(null);
            } else if (state == State.PLAYING) {
                fail(Kind.END_OF_STREAM, "the camera closed the connection", 0, null);
            } else {
                fail(Kind.PROTOCOL_ERROR, "the camera closed the connection during " + state, 0, null);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ch != channel || state == State.CLOSED) {
                ctx.close();
                return;
            }
            failOn(cause, "session " + state);
        }
    }
}
