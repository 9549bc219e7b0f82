package org.vigie.playback.rtsp;

import org.vigie.playback.MediaSources;
import org.vigie.playback.PlaybackAccess;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
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
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.vigie.rtsp.rtp.Packetizer;

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

    private final EventLoopGroup group;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService archive;
    private final Channel server;
    private final Channel udpRtp;
    private final Channel udpRtcp;

    private RtspServer(EventLoopGroup group, ThreadPoolExecutor workers, ScheduledExecutorService archive,
                       Channel server, Channel udpRtp, Channel udpRtcp) {
        this.group = group;
        this.workers = workers;
        this.archive = archive;
        this.server = server;
        this.udpRtp = udpRtp;
        this.udpRtcp = udpRtcp;
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

    /** The same, over TLS or refusing credentials in clear as {@code security} says. */
    public static RtspServer start(String bindAddress, int port, MediaSources sources, PlaybackAccess access,
                                   java.time.Duration recheckInterval, int maxConnections,
                                   java.time.Duration sessionTimeout, Security security) throws IOException {
        org.vigie.rtsp.guard.ConnectionGuard guard = new org.vigie.rtsp.guard.ConnectionGuard("rtsp", maxConnections,
                sessionTimeout, org.vigie.rtsp.guard.ConnectionGuard.Idle.READ);
        if (recheckInterval.isNegative() || recheckInterval.isZero()) {
            throw new IllegalArgumentException("recheck interval must be positive: " + recheckInterval);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WORKER_QUEUE), r -> daemon(r, "rtsp-worker-" + n.incrementAndGet()),
                new ThreadPoolExecutor.AbortPolicy());
        AtomicInteger m = new AtomicInteger();
        ScheduledThreadPoolExecutor archive = new ScheduledThreadPoolExecutor(ARCHIVE_THREADS,
                r -> daemon(r, "rtsp-archive-" + m.incrementAndGet()));
        archive.setRemoveOnCancelPolicy(true);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, NioIoHandler.newFactory());
        try {
            Channel[] udp = bindUdpPair(group, bindAddress);
            RtspContext ctx = new RtspContext(sources, access, workers, archive, udp[0], udp[1],
                    ((InetSocketAddress) udp[0].localAddress()).getPort(), Packetizer.DEFAULT_MAX_PAYLOAD,
                    recheckInterval, (int) Math.max(1, sessionTimeout.toSeconds()), security);
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 256)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(HIGH_WATER / 2, HIGH_WATER))
                    .childHandler(new RtspServerInitializer(ctx, guard))
                    .bind(bindAddress, port).sync().channel();
            return new RtspServer(group, workers, archive, ch, udp[0], udp[1]);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdown();
            archive.shutdown();
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IOException("cannot listen for RTSP on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** An even RTP port and the next one for RTCP (whose incoming reports are read and dropped). */
    private static Channel[] bindUdpPair(EventLoopGroup group, String bindAddress) throws InterruptedException, IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            Channel rtp = udp(group).bind(bindAddress, 0).sync().channel();
            int p = ((InetSocketAddress) rtp.localAddress()).getPort();
            if (p % 2 != 0 || p == 65535) {
                rtp.close().sync();
                continue;
            }
            try {
                Channel rtcp = udp(group).bind(bindAddress, p + 1).sync().channel();
                return new Channel[] {rtp, rtcp};
            } catch (Exception e) {
                rtp.close().sync();
            }
        }
        throw new IOException("no free UDP port pair for RTP/RTCP");
    }

    private static Bootstrap udp(EventLoopGroup group) {
        return new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(HIGH_WATER / 2, HIGH_WATER))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                        // RTCP receiver reports and NAT punches from UDP clients: not needed
                    }
                });
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
        return ((InetSocketAddress) udpRtp.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        udpRtp.close().syncUninterruptibly();
        udpRtcp.close().syncUninterruptibly();
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
