package org.vigie.rtsp.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTSP client of every camera pulled by the Java engine: Netty event loops shared by all sessions (the native
 * epoll transport where the platform has it, NIO otherwise), no thread per camera. Each {@link RtspClientSession}
 * is confined to one event loop for its whole life, redirects included. Host names are resolved on one small thread
 * of their own, never on an event loop; TLS contexts are built once per trust setting. Thread-safe.
 */
public final class RtspClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RtspClient.class);

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Class<? extends SocketChannel> channelClass;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final ExecutorService resolver;
    private final Map<TlsSettings, SslContext> sslContexts = new ConcurrentHashMap<>();

    private RtspClient(EventLoopGroup group, boolean ownsGroup, Class<? extends SocketChannel> channelClass,
                       InstantSource clock, RandomGenerator random) {
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.channelClass = channelClass;
        this.clock = clock;
        this.random = random;
        ThreadPoolExecutor r = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("rtsp-client-dns", true));
        r.allowCoreThreadTimeOut(true);
        this.resolver = r;
    }

    /** A client with its own {@code threads} event loops (epoll where available). */
    public static RtspClient create(int threads, InstantSource clock) {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("rtsp-client", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        return new RtspClient(group, true, epoll ? EpollSocketChannel.class : NioSocketChannel.class, clock,
                new SecureRandom());
    }

    /** A client on an existing group (its channel class must match the group's transport); the group is not closed. */
    public static RtspClient on(EventLoopGroup group, Class<? extends SocketChannel> channelClass, InstantSource clock) {
        return new RtspClient(group, false, channelClass, clock, new SecureRandom());
    }

    /** True when sessions run on the native epoll transport. */
    public boolean nativeTransport() {
        return channelClass == EpollSocketChannel.class;
    }

    /**
     * Opens a session: connects, sets the video track up, plays, and delivers frames to {@code listener} until
     * {@link RtspClientSession#stop()} or a failure. Returns at once.
     *
     * @param sessionId  the id of every frame of this session ({@link org.vigie.media.Frame#sessionId()})
     * @param frameClock the wall clock of this session's frames
     */
    public RtspClientSession open(RtspClientOptions options, long sessionId, FrameClock frameClock,
                                  RtspClientListener listener) {
        RtspClientSession s = new RtspClientSession(this, group.next(), options, sessionId, frameClock, clock,
                listener, random);
        s.start();
        return s;
    }

    // ---- for sessions

    /** Resolves a host off the event loop; literal addresses without a lookup. */
    CompletableFuture<InetAddress> resolve(String host) {
        CompletableFuture<InetAddress> f = new CompletableFuture<>();
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (isLiteral(h)) {
            try {
                f.complete(InetAddress.getByName(h)); // a literal: parsed, no lookup
            } catch (UnknownHostException e) {
                f.completeExceptionally(e);
            }
            return f;
        }
        try {
            resolver.execute(() -> {
                try {
                    f.complete(InetAddress.getByName(h));
                } catch (UnknownHostException | RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    private static boolean isLiteral(String h) {
        if (h.indexOf(':') >= 0) {
            return true; // IPv6
        }
        return h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    ChannelFuture connect(EventLoop loop, InetSocketAddress address, int connectTimeoutMillis,
                          Consumer<Channel> initializer) {
        return new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        initializer.accept(ch);
                    }
                })
                .connect(address);
    }

    SslContext sslContext(TlsSettings tls) {
        return sslContexts.computeIfAbsent(tls, t -> {
            try {
                SslContextBuilder b = SslContextBuilder.forClient();
                if (t.insecure()) {
                    LOG.warn("RTSPS: a camera's certificate is not checked (tls insecure, its explicit setting)");
                    b.trustManager(InsecureTrustManagerFactory.INSTANCE);
                } else if (t.caFile() != null) {
                    b.trustManager(t.caFile().toFile());
                }
                // Host name verification unless insecure (Netty's engines only verify it when asked).
                b.endpointIdentificationAlgorithm(t.insecure() ? null : "HTTPS");
                return b.build();
            } catch (SSLException | IllegalArgumentException e) {
                throw new UncheckedIOException(new IOException("cannot build the TLS context: " + e.getMessage(), e));
            }
        });
    }

    @Override
    public void close() {
        resolver.shutdownNow();
        if (ownsGroup) {
            // No quiet period, and a bounded wait: a loop busy with an overloaded camera's data must not hold a
            // server's shutdown (issue 17); once shut down a loop runs no more task, hence delivers no frame.
            if (!group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS)) {
                LOG.warn("the RTSP client's event loops did not terminate within 3 s");
            }
        }
    }
}
