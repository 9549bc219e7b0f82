package org.vigie.playback.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.media.StreamKey;
import org.vigie.playback.RemoteStream;

/**
 * A channel whose bytes are on another node of the cluster (issue 13): the node the user asked has checked the
 * right and audited the view; this channel opens a WebSocket of the same protocol to the node that holds the stream,
 * with the node-to-node credential of {@link RemoteStream} (the acting user, never the user's token), opens the same
 * channel there, and relays what comes back (init segments, fragments, events) unchanged, and the client's control
 * messages there. The client sees no difference.
 *
 * <p>Flow control: when the client's connection is not writable, the relay stops reading from the holding node
 * (TCP pushes back there, where the slow-reader rules apply), and reads again on {@link #resume()}. The relay's
 * connection runs on the client connection's event loop, so everything here is on that one thread.
 */
final class RelayChannel implements ViewChannel {

    private static final Logger LOG = LoggerFactory.getLogger(RelayChannel.class);
    /** Largest message accepted from the holding node (a key frame's fragment of a 4K camera fits). */
    static final int MAX_MESSAGE = 32 * 1024 * 1024;
    static final int MAX_PENDING = StreamSession.MAX_QUEUED;

    private final ChannelOutput out;
    private final Channel client;
    private final RemoteStream target;
    private final String open;
    private final boolean archive;
    private final Consumer<RelayChannel> ended;
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private Channel relay;
    private boolean ready;
    private boolean closed;
    private long sent;

    /**
     * @param open  the client's open message, to send as is to the holding node
     * @param ended told (on the event loop) when the holding node's side ends, after the client was told
     */
    RelayChannel(ChannelOutput out, Channel client, RemoteStream target, String open, boolean archive,
                 Consumer<RelayChannel> ended) {
        this.out = out;
        this.client = client;
        this.target = target;
        this.open = open;
        this.archive = archive;
        this.ended = ended;
    }

    /** The open message of a channel, as the holding node expects it. */
    static String openMessage(Command c) {
        ObjectNode n = ChannelOutput.JSON.createObjectNode();
        n.put("op", "open").put("channel", c.channel()).put("camera", c.key().cameraId())
                .put("stream", c.key().stream()).put("mode", c.from() == null ? "live" : "archive");
        if (c.from() != null) n.put("from", c.from().toString()).put("rate", c.rate());
        if (c.thenLive()) n.put("thenLive", true);
        if (c.lift() != null && c.lift().liftable()) {
            n.put("unmask", org.vigie.playback.MaskLift.LIFTABLE).put("reason", c.lift().reason());
        }
        return n.toString();
    }

    /** A control message of an open channel, as the holding node expects it. */
    static String controlMessage(Command c) {
        ObjectNode n = ChannelOutput.JSON.createObjectNode();
        n.put("op", c.op()).put("channel", c.channel());
        if (c.op().equals("speed")) n.put("rate", c.rate());
        if (c.op().equals("seek")) n.put("to", c.to().toString());
        return n.toString();
    }

    @Override
    public int id() {
        return out.id();
    }

    @Override
    public StreamKey key() {
        return out.key();
    }

    @Override
    public ChannelOutput output() {
        return out;
    }

    @Override
    public boolean archive() {
        return archive;
    }

    /** The node relayed from. */
    String node() {
        return target.node();
    }

    @Override
    public void start() {
        URI uri = target.uri();
        boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        SslContext ssl;
        try {
            ssl = tls ? SslContextBuilder.forClient().build() : null;
        } catch (javax.net.ssl.SSLException e) {
            fail("cannot set up TLS to node " + target.node() + ": " + e.getMessage());
            return;
        }
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.AUTHORIZATION, target.authorization());
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder().webSocketUri(uri)
                .subprotocol(target.clientDraws() ? StreamUpgradeHandler.SUBPROTOCOL + "," + ClientDrawing.SUBPROTOCOL
                        : StreamUpgradeHandler.SUBPROTOCOL).customHeaders(headers)
                .maxFramePayloadLength(MAX_MESSAGE).handshakeTimeoutMillis(10_000).build();
        ChannelFuture f = new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) ch.pipeline().addLast(ssl.newHandler(ch.alloc(), uri.getHost(), port));
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                new WebSocketClientProtocolHandler(config), new FromHolder());
                    }
                }).connect(uri.getHost(), port);
        relay = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) fail("node " + target.node() + " that holds the stream is unreachable: "
                    + done.cause().getMessage());
        });
    }

    @Override
    public void resume() {
        if (relay != null && !closed) relay.config().setAutoRead(true);
    }

    @Override
    public void command(Command c) throws ChannelRefusedException {
        if (closed) throw new ChannelRefusedException(410, "channel " + c.channel() + " has ended");
        String m = controlMessage(c);
        if (ready) {
            relay.writeAndFlush(new TextWebSocketFrame(m));
        } else if (pending.size() >= MAX_PENDING) {
            throw new ChannelRefusedException(429, "at most " + MAX_PENDING + " messages queued while connecting");
        } else {
            pending.add(m);
        }
    }

    @Override
    public long dropped() {
        return 0; // the holding node drops for a slow reader; this side only stops reading
    }

    @Override
    public long sent() {
        return sent;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (relay != null) relay.close();
    }

    /** The holding node's side ended or never opened: the client is told, the session forgets the channel. */
    private void fail(String message) {
        if (closed) return;
        closed = true;
        LOG.info("relayed channel {} of {} ended: {}", out.id(), out.key(), message);
        ObjectNode e = ChannelOutput.JSON.createObjectNode();
        e.put("event", "error").put("channel", out.id()).put("status", 502).put("message", message);
        if (client.isActive()) client.writeAndFlush(new TextWebSocketFrame(e.toString()));
        if (relay != null) relay.close();
        ended.accept(this);
    }

    /** The holding node's messages, relayed to the client. */
    private final class FromHolder extends SimpleChannelInboundHandler<WebSocketFrame> {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                ready = true;
                ctx.write(new TextWebSocketFrame(open));
                while (!pending.isEmpty()) ctx.write(new TextWebSocketFrame(pending.poll()));
                ctx.flush();
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                fail("node " + target.node() + " did not answer the relay's handshake");
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (closed) return;
            if (frame instanceof BinaryWebSocketFrame) {
                sent++;
                client.writeAndFlush(frame.retain());
                if (!client.isWritable()) ctx.channel().config().setAutoRead(false); // until resume()
            } else if (frame instanceof TextWebSocketFrame t) {
                client.writeAndFlush(t.retain());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            fail("the relay from node " + target.node() + " closed");
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            String why = cause.getMessage();
            if (why != null && why.contains("Invalid handshake response")) {
                why = "node " + target.node() + " refused the relay (" + why + ")";
            }
            fail(String.valueOf(why));
        }
    }
}
