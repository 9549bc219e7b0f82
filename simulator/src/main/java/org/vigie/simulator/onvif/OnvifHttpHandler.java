package org.vigie.simulator.onvif;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;

/**
 * Routes ONVIF HTTP requests to the simulated cameras: {@code POST /onvif/<id>/<service>} and
 * {@code POST /onvif/<id>/subscription/<n>} carry SOAP; {@code GET /onvif/<id>/snapshot.jpg} returns a JPEG
 * (HTTP Digest when credentials are set). Never blocks the event loop: long polls complete later through the
 * camera's future. Shared by all channels (stateless).
 *
 * <p>Alias: {@code POST /onvif/device_service}, the fixed path that clients such as onvif-java
 * ({@code io.antmedia.ipcamera.onvif.soap.OnvifDevice}) and most real single-camera devices use, answers as the
 * port's default device, the first camera given to {@link OnvifSimulator}. Only the device service is aliased:
 * its GetCapabilities/GetServices XAddrs then lead the client to that camera's own {@code /onvif/<id>/} paths.
 * Until the default device is set, the alias answers 404 like an unknown camera.
 */
@ChannelHandler.Sharable
final class OnvifHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(OnvifHttpHandler.class);
    private static final Pattern PATH = Pattern.compile("^/onvif/([A-Za-z0-9._-]+)/([a-z0-9_]+|subscription/(\\d+)|snapshot\\.jpg)$");
    /** The fixed device-service path of single-device clients; served by {@link #defaultDevice}. */
    static final String DEFAULT_DEVICE_PATH = "/onvif/device_service";

    private final Map<String, SimulatedOnvifCamera> cameras;
    private final SnapshotAuth snapshotAuth;
    private final byte[] jpeg;
    /** Written once by {@link OnvifSimulator#start} after the cameras are registered, read by every event loop. */
    private volatile SimulatedOnvifCamera defaultDevice;

    OnvifHttpHandler(Map<String, SimulatedOnvifCamera> cameras, SnapshotAuth snapshotAuth, byte[] jpeg) {
        this.cameras = cameras;
        this.snapshotAuth = snapshotAuth;
        this.jpeg = jpeg;
    }

    /** Makes {@code camera} answer {@value #DEFAULT_DEVICE_PATH}. */
    void defaultDevice(SimulatedOnvifCamera camera) {
        this.defaultDevice = camera;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String path = request.uri().split("\\?", 2)[0];
        if (path.equals(DEFAULT_DEVICE_PATH)) {
            SimulatedOnvifCamera camera = defaultDevice;
            if (camera == null) {
                send(ctx, plain(HttpResponseStatus.NOT_FOUND), keepAlive);
            } else {
                soap(ctx, request, camera, null, keepAlive);
            }
            return;
        }
        Matcher m = PATH.matcher(path);
        SimulatedOnvifCamera camera = m.matches() ? cameras.get(m.group(1)) : null;
        if (camera == null) {
            send(ctx, plain(HttpResponseStatus.NOT_FOUND), keepAlive);
            return;
        }
        if (m.group(2).equals("snapshot.jpg")) {
            snapshot(ctx, request, keepAlive);
            return;
        }
        soap(ctx, request, camera, m.group(3), keepAlive);
    }

    private void soap(ChannelHandlerContext ctx, FullHttpRequest request, SimulatedOnvifCamera camera,
                      String subscriptionId, boolean keepAlive) {
        if (!request.method().equals(HttpMethod.POST)) {
            send(ctx, plain(HttpResponseStatus.METHOD_NOT_ALLOWED), keepAlive);
            return;
        }
        Document doc;
        try {
            doc = SimulatorXml.parse(ByteBufUtil.getBytes(request.content()));
        } catch (Exception e) {
            reply(ctx, SoapReply.fault(400, "s:Sender", "ter:WellFormed", "not well-formed XML"), keepAlive);
            return;
        }
        camera.handle(doc.getDocumentElement(), subscriptionId).whenComplete((r, t) -> {
            SoapReply reply = t == null ? r : SoapReply.fault(500, "s:Receiver", "ter:Action", String.valueOf(t));
            if (t != null) {
                LOG.warn("simulated camera {} failed", camera.info().id(), t);
            }
            ctx.executor().execute(() -> reply(ctx, reply, keepAlive));
        });
    }

    private void snapshot(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        if (snapshotAuth != null) {
            String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            if (!snapshotAuth.accepts(authorization, request.method().name())) {
                FullHttpResponse r = plain(HttpResponseStatus.UNAUTHORIZED);
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, snapshotAuth.challenge());
                send(ctx, r, keepAlive);
                return;
            }
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(jpeg));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "image/jpeg");
        send(ctx, r, keepAlive);
    }

    private static void reply(ChannelHandlerContext ctx, SoapReply reply, boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()),
                Unpooled.copiedBuffer(reply.envelope(), StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/soap+xml; charset=utf-8");
        send(ctx, r, keepAlive);
    }

    private static FullHttpResponse plain(HttpResponseStatus status) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
        HttpUtil.setContentLength(r, r.content().readableBytes());
        if (keepAlive) {
            HttpUtil.setKeepAlive(r, true);
            ctx.writeAndFlush(r);
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("ONVIF HTTP channel failed", cause);
        ctx.close();
    }
}
