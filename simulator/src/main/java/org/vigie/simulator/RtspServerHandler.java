package org.vigie.simulator;

import org.vigie.rtsp.interleaved.InterleavedDemuxer;
import org.vigie.rtsp.interleaved.InterleavedFrame;
import org.vigie.rtsp.RtspParseException;
import org.vigie.rtsp.auth.DigestVerifier;
import org.vigie.rtsp.header.SessionHeader;
import org.vigie.rtsp.header.Transport;
import org.vigie.rtsp.rtcp.RtcpPacket;
import org.vigie.rtsp.rtp.H264Packetizer;
import org.vigie.rtsp.rtp.RtpStream;
import org.vigie.rtsp.sdp.SdpWriter;
import org.vigie.rtsp.server.MediaOutput;
import org.vigie.rtsp.server.RtpSender;
import org.vigie.rtsp.server.TcpInterleavedOutput;
import org.vigie.rtsp.server.UdpOutput;
import org.vigie.rtsp.server.UdpPortPair;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTSP logic of one client connection: OPTIONS, DESCRIBE, SETUP (UDP unicast or TCP interleaved), PLAY,
 * PAUSE, GET_PARAMETER/SET_PARAMETER (keep-alive), TEARDOWN; optional Digest authentication on every method but
 * OPTIONS; CSeq echoed on every answer.
 *
 * <p>Error answers: unknown or stopped camera → 404; bad credentials → 401 with a fresh challenge; unknown
 * session → 454; unsupported transport (multicast, other profiles) → 461; malformed request → 400 and close.
 * Sessions created on this connection end when it closes. Confined to the channel's event loop.
 */
final class RtspServerHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RtspServerHandler.class);
    static final String SERVER = "Vigie-Simulator/0.1";
    static final String PUBLIC_METHODS =
            "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER, TEARDOWN";

    private final ServedCameras served;
    private final DigestVerifier authenticator;
    private final UdpPortPair udp;
    private final SimulatorOptions options;
    private final RandomGenerator random;
    private final Set<RtspSession> ownSessions = new LinkedHashSet<>();

    /**
     * @param authenticator null when no authentication is required
     */
    RtspServerHandler(ServedCameras served, DigestVerifier authenticator, UdpPortPair udp,
                      SimulatorOptions options, RandomGenerator random) {
        this.served = served;
        this.authenticator = authenticator;
        this.udp = udp;
        this.options = options;
        this.random = random;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof InterleavedFrame frame) {
                onInterleaved(frame);
            } else if (msg instanceof FullHttpRequest request) {
                onRequest(ctx, request);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (RtspSession s : ownSessions) {
            served.unregister(s);
        }
        ownSessions.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("closing RTSP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void onInterleaved(InterleavedFrame frame) {
        if (frame.channel() % 2 == 0) {
            return; // a client sending RTP to a camera: ignored
        }
        ByteBuf b = frame.content();
        RtcpPacket rtcp;
        try {
            rtcp = RtcpPacket.parse(b, b.readerIndex(), b.readableBytes());
        } catch (RtspParseException e) {
            return; // not RTCP: ignored
        }
        InstantSource clock = options.clock();
        for (int ssrc : rtcp.reportedSsrcs()) {
            RtspSession s = served.sessionBySsrc(ssrc);
            if (s != null) {
                s.touch(clock.instant());
            }
        }
    }

    private void onRequest(ChannelHandlerContext ctx, FullHttpRequest req) {
        String cseq = req.headers().get(RtspHeaderNames.CSEQ);
        if (req.decoderResult().isFailure() || cseq == null) {
            send(ctx, response(HttpResponseStatus.BAD_REQUEST, cseq)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        String method = req.method().name();
        if (method.equals("OPTIONS")) {
            FullHttpResponse r = response(HttpResponseStatus.OK, cseq);
            r.headers().set(RtspHeaderNames.PUBLIC, PUBLIC_METHODS);
            send(ctx, r);
            return;
        }
        if (authenticator != null && authenticator.verify(method, req.headers().get(RtspHeaderNames.AUTHORIZATION),
                user -> user.equals(options.username()) ? Optional.of(options.password()) : Optional.empty())
                .isEmpty()) {
            FullHttpResponse r = response(HttpResponseStatus.UNAUTHORIZED, cseq);
            r.headers().set(RtspHeaderNames.WWW_AUTHENTICATE, authenticator.challenge());
            send(ctx, r);
            return;
        }
        RtspSession session = served.session(sessionId(req));
        if (session != null) {
            session.touch(options.clock().instant());
        }
        switch (method) {
            case "DESCRIBE" -> describe(ctx, req, cseq);
            case "SETUP" -> setup(ctx, req, cseq, session);
            case "PLAY" -> play(ctx, req, cseq, session);
            case "PAUSE" -> pause(ctx, req, cseq, session);
            case "TEARDOWN" -> teardown(ctx, req, cseq, session);
            case "GET_PARAMETER", "SET_PARAMETER" -> keepAlive(ctx, req, cseq, session);
            default -> send(ctx, response(RtspResponseStatuses.NOT_IMPLEMENTED, cseq));
        }
    }

    private void describe(ChannelHandlerContext ctx, FullHttpRequest req, String cseq) {
        SimulatedCamera camera = runningCamera(req.uri());
        if (camera == null) {
            send(ctx, response(HttpResponseStatus.NOT_FOUND, cseq));
            return;
        }
        String host = ((InetSocketAddress) ctx.channel().localAddress()).getAddress().getHostAddress();
        H264Clip clip = served.clip();
        byte[] sdp = SdpWriter.video("Vigie simulated camera " + camera.id(), host, System.identityHashCode(camera),
                "npt=now-", clip.format(), SdpWriter.TRACK_CONTROL, Math.max(1, clip.bitrate() / 1000), clip.fps())
                .getBytes(StandardCharsets.US_ASCII);
        FullHttpResponse r = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(sdp));
        headers(r, cseq);
        r.headers().set(RtspHeaderNames.CONTENT_TYPE, "application/sdp");
        r.headers().set(RtspHeaderNames.CONTENT_BASE, baseUrl(req.uri()));
        r.headers().setInt(RtspHeaderNames.CONTENT_LENGTH, sdp.length);
        send(ctx, r);
    }

    private void setup(ChannelHandlerContext ctx, FullHttpRequest req, String cseq, RtspSession existing) {
        SimulatedCamera camera = runningCamera(req.uri());
        if (camera == null) {
            send(ctx, response(HttpResponseStatus.NOT_FOUND, cseq));
            return;
        }
        if (existing != null) {
            // one track only: a second SETUP in the same session is answered with the transport already chosen
            if (existing.camera() != camera) {
                send(ctx, response(RtspResponseStatuses.AGGREGATE_OPERATION_NOT_ALLOWED, cseq));
                return;
            }
            sendSetupAnswer(ctx, cseq, existing);
            return;
        }
        Optional<Transport> chosen = Transport.chooseForServer(req.headers().get(RtspHeaderNames.TRANSPORT));
        if (chosen.isEmpty()) {
            send(ctx, response(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, cseq));
            return;
        }
        Transport transport = chosen.get();
        MediaOutput output = transport.tcp() ? new TcpInterleavedOutput(ctx.channel(), transport.interleaved())
                : new UdpOutput(udp, ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress(),
                        transport.clientPort());
        int fps = served.clip().fps();
        // the clip is cut into payloads once (CameraSimulator): the sender only numbers and frames them
        RtpSender sender = new RtpSender(new RtpStream(random.nextInt(), SdpWriter.PAYLOAD_TYPE, random.nextInt()),
                new H264Packetizer(options.maxRtpPayload()), output, camera.id() + "@vigie-simulator", options.senderReportInterval().toNanos() / 1000,
                ctx.channel().alloc());
        byte[] id = new byte[8];
        random.nextBytes(id);
        RtspSession session = new RtspSession(HexFormat.of().formatHex(id), camera, ctx.channel(), req.uri(),
                transport, sender, random.nextInt(), 90_000 / fps, options.sessionTimeout(), options.clock().instant());
        if (!served.register(session)) {
            send(ctx, response(HttpResponseStatus.NOT_FOUND, cseq));
            return;
        }
        ownSessions.add(session);
        sendSetupAnswer(ctx, cseq, session);
    }

    private void sendSetupAnswer(ChannelHandlerContext ctx, String cseq, RtspSession session) {
        FullHttpResponse r = response(HttpResponseStatus.OK, cseq);
        r.headers().set(RtspHeaderNames.TRANSPORT,
                session.transport().answer(session.rtp().ssrc(), new Transport.PortPair(udp.rtpPort(), udp.rtcpPort())).format());
        r.headers().set(RtspHeaderNames.SESSION, sessionHeader(session));
        send(ctx, r);
    }

    private void play(ChannelHandlerContext ctx, FullHttpRequest req, String cseq, RtspSession session) {
        if (session == null) {
            send(ctx, response(RtspResponseStatuses.SESSION_NOT_FOUND, cseq));
            return;
        }
        if (!session.camera().isRunning()) {
            send(ctx, response(HttpResponseStatus.NOT_FOUND, cseq));
            return;
        }
        SimulatedCamera.PlayStart start = session.camera().play(session);
        FullHttpResponse r = response(HttpResponseStatus.OK, cseq);
        r.headers().set(RtspHeaderNames.SESSION, sessionHeader(session));
        r.headers().set(RtspHeaderNames.RANGE, "npt=now-");
        r.headers().set(RtspHeaderNames.RTP_INFO, "url=" + session.trackUrl() + ";seq=" + start.sequence()
                + ";rtptime=" + Integer.toUnsignedString(start.rtpTime()));
        // Written on the event loop before any frame: the pacer's writes to this channel are queued as later tasks.
        send(ctx, r);
    }

    private void pause(ChannelHandlerContext ctx, FullHttpRequest req, String cseq, RtspSession session) {
        if (session == null) {
            send(ctx, response(RtspResponseStatuses.SESSION_NOT_FOUND, cseq));
            return;
        }
        session.camera().pause(session);
        FullHttpResponse r = response(HttpResponseStatus.OK, cseq);
        r.headers().set(RtspHeaderNames.SESSION, sessionHeader(session));
        send(ctx, r);
    }

    private void teardown(ChannelHandlerContext ctx, FullHttpRequest req, String cseq, RtspSession session) {
        if (session == null) {
            send(ctx, response(RtspResponseStatuses.SESSION_NOT_FOUND, cseq));
            return;
        }
        served.unregister(session);
        ownSessions.remove(session);
        FullHttpResponse r = response(HttpResponseStatus.OK, cseq);
        r.headers().set(RtspHeaderNames.SESSION, session.id());
        send(ctx, r);
    }

    private void keepAlive(ChannelHandlerContext ctx, FullHttpRequest req, String cseq, RtspSession session) {
        String asked = sessionId(req);
        if (asked != null && session == null) {
            send(ctx, response(RtspResponseStatuses.SESSION_NOT_FOUND, cseq));
            return;
        }
        FullHttpResponse r = response(HttpResponseStatus.OK, cseq);
        if (session != null) {
            r.headers().set(RtspHeaderNames.SESSION, sessionHeader(session));
        }
        send(ctx, r);
    }

    private String sessionHeader(RtspSession session) {
        return session.id() + ";timeout=" + session.timeout().toSeconds();
    }

    private SimulatedCamera runningCamera(String uri) {
        SimulatedCamera camera = served.camera(cameraIdOf(uri));
        return camera != null && camera.isRunning() ? camera : null;
    }

    /** The camera id of a request URI: the first path segment ({@code rtsp://h:p/cam-001/trackID=0}). */
    static String cameraIdOf(String uri) {
        String path = uri;
        try {
            if (uri.regionMatches(true, 0, "rtsp://", 0, 7) || uri.regionMatches(true, 0, "rtsps://", 0, 8)) {
                path = URI.create(uri).getRawPath();
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (path == null) {
            return null;
        }
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                return segment;
            }
        }
        return null;
    }

    /** The Content-Base of a DESCRIBE: the request URI with a trailing slash. */
    static String baseUrl(String uri) {
        return uri.endsWith("/") ? uri : uri + "/";
    }

    private static String sessionId(FullHttpRequest req) {
        return SessionHeader.idOf(req.headers().get(RtspHeaderNames.SESSION));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String cseq) {
        FullHttpResponse r = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status);
        headers(r, cseq);
        r.headers().setInt(RtspHeaderNames.CONTENT_LENGTH, 0);
        return r;
    }

    private static void headers(FullHttpResponse r, String cseq) {
        if (cseq != null) {
            r.headers().set(RtspHeaderNames.CSEQ, cseq);
        }
        r.headers().set(RtspHeaderNames.SERVER, SERVER);
    }

    private static io.netty.channel.ChannelFuture send(ChannelHandlerContext ctx, FullHttpResponse r) {
        return ctx.writeAndFlush(r);
    }
}
