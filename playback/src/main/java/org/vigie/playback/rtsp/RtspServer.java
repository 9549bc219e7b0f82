package org.vigie.playback.rtsp;

import org.vigie.playback.MediaSources;
import org.vigie.playback.PlaybackAccess;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.vigie.rtsp.rtp.Packetizer;
import org.vigie.rtsp.server.UdpPortPair;

/**
 * The RTSP re-stream server ({@code server.rtsp-port}): live {@code rtsp://host:port/live/{id}[/sub]} from the
 * camera's fan-out hub and archive replay {@code rtsp://host:port/archive/{id}[/sub][?start=..&scale=..]} with
 * ONVIF replay semantics ({@code Range: clock=}, {@code Scale}, {@code Rate-Control}), over TCP interleaved or UDP,
 * with the server's users (Basic) and per-camera rights, every view audited.
 *
 * <p>Threads: {@value #EVENT_LOOP_THREADS} event loops (RTSP connections, the UDP sockets, live RTP writes), a
 * bounded pool of {@value #WORKERS} request workers (queue {@value #WORKER_QUEUE}; beyond, 503), and
 * {@value #ARCHIVE_THREADS} archive senders that read segment files. A connection holds at most its high-water mark
 * ({@value #HIGH_WATER} bytes) of unsent RTP; beyond, its sender stops (live drops to the next key frame).
 */
public final class RtspServer implements AutoCloseable {

    static final int EVENT_LOOP_THREADS = 2;
    static final int WORKERS = 4;
    static final int WORKER_QUEUE = 256;
    static final int ARCHIVE_THREADS = 2;
    static final int HIGH_WATER = 1 << 20;

    /** The server's threads: event loops, request workers, archive senders; stopped together. */
    private record Threads(EventLoopGroup group, ThreadPoolExecutor workers, ScheduledExecutorService archive) {
        static Threads start() {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(WORKER_QUEUE), r -> daemon(r, "rtsp-worker-" + n.incrementAndGet()),
                    new ThreadPoolExecutor.AbortPolicy());
            AtomicInteger m = new AtomicInteger();
            ScheduledThreadPoolExecutor archive = new ScheduledThreadPoolExecutor(ARCHIVE_THREADS,
                    r -> daemon(r, "rtsp-archive-" + m.incrementAndGet()));
            archive.setRemoveOnCancelPolicy(true);
            return new Threads(new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, NioIoHandler.newFactory()),
                    workers, archive);
        }

        /** Stops the event loops (within 2 s), the archive senders at once, and waits up to 5 s for the workers. */
        void stop() {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdown();
            archive.shutdownNow();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final Threads threads;
    private final Channel server;
    private final UdpPortPair udp;

    private RtspServer(Threads threads, Channel server, UdpPortPair udp) {
        this.threads = threads;
        this.server = server;
        this.udp = udp;
    }

    /** How often a playing session's user and right are re-checked (see {@link RtspServerHandler}). */
    public static final java.time.Duration RECHECK_INTERVAL = java.time.Duration.ofSeconds(10);

    /** Listens on {@code bindAddress:port} (0: an ephemeral port) for TCP, and on a UDP port pair for RTP/RTCP. */
    public static RtspServer start(String bindAddress, int port, MediaSources sources, PlaybackAccess access)
            throws IOException {
        return start(bindAddress, port, sources, access, RECHECK_INTERVAL);
    }

    /**
     * The same, re-checking each playing session's user and right every {@code recheckInterval}, with the default
     * limits: 4096 connections, a 60 s session timeout.
     */
    public static RtspServer start(String bindAddress, int port, MediaSources sources, PlaybackAccess access,
                                   java.time.Duration recheckInterval) throws IOException {
        return start(bindAddress, port, sources, access, recheckInterval, 4096, java.time.Duration.ofSeconds(
                RtspServerHandler.SESSION_TIMEOUT_SECONDS));
    }

    /**
     * The same, with its limits.
     *
     * @param maxConnections connections open at once; one more is closed at once
     * @param sessionTimeout announced in {@code Session: id;timeout=} and enforced: a connection from which nothing
     *                       is read for this long (no request, no RTCP report) is closed, its sessions with it
     */
    public static RtspServer start(String bindAddress, int port, MediaSources sources, PlaybackAccess access,
                                   java.time.Duration recheckInterval, int maxConnections,
                                   java.time.Duration sessionTimeout) throws IOException {
        return start(bindAddress, port, sources, access, recheckInterval, maxConnections, sessionTimeout,
                Security.PLAIN);
    }

    /**
     * How a listener treats credentials.
     *
     * @param tls               RTSP over TLS ({@code rtsps://}) with this context, or null for plain RTSP
     * @param refuseCredentials a plain listener that answers 403 to every request but OPTIONS (before reading any
     *                          password), so that no Basic credentials are sent in clear: {@code hint} says where
     *                          to go instead
     * @param hint              the message of that refusal (e.g. the rtsps:// port), or null
     */
    public record Security(io.netty.handler.ssl.SslContext tls, boolean refuseCredentials, String hint) {
        public static final Security PLAIN = new Security(null, false, null);

        public Security {
            if (tls != null && refuseCredentials) throw new IllegalArgumentException("a TLS listener takes credentials");
        }
    }

    /** The same, over TLS or refusing credentials in clear as {@code security} says; masked cameras are refused. */
    public static RtspServer start(String bindAddress, int port, MediaSources sources, PlaybackAccess access,
                                   java.time.Duration recheckInterval, int maxConnections,
                                   java.time.Duration sessionTimeout, Security security) throws IOException {
        return start(bindAddress, port, sources, access, recheckInterval, maxConnections, sessionTimeout, security,
                null);
    }

    /**
     * The same, serving the live stream of a masked camera through {@code maskedHubs} (privacy masks burned in,
     * issue 14); null refuses masked cameras (503).
     */
    public static RtspServer start(String bindAddress, int port, MediaSources sources, PlaybackAccess access,
                                   java.time.Duration recheckInterval, int maxConnections,
                                   java.time.Duration sessionTimeout, Security security,
                                   org.vigie.playback.privacy.MaskedHubs maskedHubs) throws IOException {
        org.vigie.rtsp.guard.ConnectionGuard guard = new org.vigie.rtsp.guard.ConnectionGuard("rtsp", maxConnections,
                sessionTimeout, org.vigie.rtsp.guard.ConnectionGuard.Idle.READ);
        if (recheckInterval.isNegative() || recheckInterval.isZero()) {
            throw new IllegalArgumentException("recheck interval must be positive: " + recheckInterval);
        }
        Threads threads = Threads.start();
        try {
            UdpPortPair udp = UdpPortPair.bind(udp(threads.group()), InetAddress.getByName(bindAddress), 0);
            RtspContext ctx = new RtspContext(sources, access, threads.workers(), threads.archive(), udp,
                    Packetizer.DEFAULT_MAX_PAYLOAD,
                    recheckInterval, (int) Math.max(1, sessionTimeout.toSeconds()), security, maskedHubs);
            Channel ch = new ServerBootstrap().group(threads.group()).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 256)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(HIGH_WATER / 2, HIGH_WATER))
                    .childHandler(new RtspServerInitializer(ctx, guard))
                    .bind(bindAddress, port).sync().channel();
            return new RtspServer(threads, ch, udp);
        } catch (Exception e) {
            threads.stop();
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IOException("cannot listen for RTSP on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The UDP sockets' bootstrap: what arrives on them (RTCP receiver reports, NAT punches) is read and dropped. */
    private static Bootstrap udp(EventLoopGroup group) {
        return new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(HIGH_WATER / 2, HIGH_WATER))
                .handler(DropDatagrams.INSTANCE);
    }

    /** Releases every datagram read. Stateless, shared by both sockets. */
    @ChannelHandler.Sharable
    private static final class DropDatagrams extends SimpleChannelInboundHandler<DatagramPacket> {
        static final DropDatagrams INSTANCE = new DropDatagrams();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            // RTCP receiver reports and NAT punches from UDP clients: not needed
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The UDP port RTP is sent from (RTCP is the next one). */
    public int udpRtpPort() {
        return udp.rtpPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        udp.close();
        threads.stop();
    }

}
