package org.vigie.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.vigie.server.config.TlsConfig;

/**
 * The HTTP(S) listener of the API, {@code /metrics} and {@code /healthz}: a Netty server on two event-loop threads
 * and a bounded pool of worker threads ({@code server.api-threads}, queue {@code server.api-queue}) on which every
 * request runs, so that database, password hashing and audit work never block an event loop.
 */
public final class HttpServer implements AutoCloseable {

    private final EventLoopGroup group;
    private final ThreadPoolExecutor workers;
    private final Channel channel;

    private HttpServer(EventLoopGroup group, ThreadPoolExecutor workers, Channel channel) {
        this.group = group;
        this.workers = workers;
        this.channel = channel;
    }

    public static HttpServer start(String bindAddress, int port, TlsConfig tls, int threads, int queue,
                                   int maxRequestBytes, ApiDispatcher dispatcher) throws IOException {
        return start(bindAddress, port, tls, threads, queue, maxRequestBytes, dispatcher, java.util.List.of());
    }

    /**
     * @param mounted sharable handlers placed between the aggregator and the API (in order), each passing on what it
     *                does not serve: the streaming endpoint's page and WebSocket upgrade
     */
    public static HttpServer start(String bindAddress, int port, TlsConfig tls, int threads, int queue,
                                   int maxRequestBytes, ApiDispatcher dispatcher,
                                   java.util.List<io.netty.channel.ChannelHandler> mounted) throws IOException {
        return start(bindAddress, port, tls, threads, queue, maxRequestBytes, dispatcher, mounted, null);
    }

    /** @param guard the connection limit and idle timeout of every connection, or null for none */
    public static HttpServer start(String bindAddress, int port, TlsConfig tls, int threads, int queue,
                                   int maxRequestBytes, ApiDispatcher dispatcher,
                                   java.util.List<io.netty.channel.ChannelHandler> mounted,
                                   org.vigie.rtsp.guard.ConnectionGuard guard) throws IOException {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, "api-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        SslContext ssl = null;
        if (tls != null && tls.enabled()) {
            try {
                ssl = SslContextBuilder.forServer(tls.certificate().toFile(), tls.privateKey().toFile()).build();
            } catch (SSLException | IllegalArgumentException e) {
                workers.shutdown();
                throw new IOException("cannot load TLS certificate/key: " + e.getMessage(), e);
            }
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childHandler(new HttpServerInitializer(ssl, maxRequestBytes, new ApiHandler(dispatcher, workers), mounted,
                            guard))
                    .bind(bindAddress, port).sync().channel();
            return new HttpServer(group, workers, ch);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdown();
            throw new IOException("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
