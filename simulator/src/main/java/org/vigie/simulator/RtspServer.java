package org.vigie.simulator;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.vigie.rtsp.auth.DigestVerifier;
import org.vigie.rtsp.server.UdpPortPair;

/**
 * Bootstrap of the simulator's sockets: the RTSP TCP listener and the shared UDP RTP/RTCP pair, all bound to the
 * configured address (loopback by default), on one boss thread and one worker thread per core (at most 2).
 */
final class RtspServer implements AutoCloseable {

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final UdpPortPair udp;

    private RtspServer(EventLoopGroup boss, EventLoopGroup workers, Channel listener, UdpPortPair udp) {
        this.boss = boss;
        this.workers = workers;
        this.listener = listener;
        this.udp = udp;
    }

    static RtspServer bind(int port, ServedCameras served, DigestVerifier authenticator,
                           SimulatorOptions options) {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        try {
            InetAddress address = options.bindAddress();
            UdpPortPair udp = UdpPortPair.bind(new Bootstrap().group(workers).channel(NioDatagramChannel.class)
                    .handler(new RtcpReceiverHandler(served, options.clock())), address, options.udpRtpPort());
            int high = options.writeBufferHighWaterMark();
            ServerBootstrap bootstrap = new ServerBootstrap();
            if (options.tcpSendBuffer() > 0) {
                bootstrap.childOption(ChannelOption.SO_SNDBUF, options.tcpSendBuffer());
            }
            Channel listener = bootstrap
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
                    .childHandler(new RtspServerInitializer(served, authenticator, udp, options))
                    .bind(new InetSocketAddress(address, port)).syncUninterruptibly().channel();
            return new RtspServer(boss, workers, listener, udp);
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    UdpPortPair udp() {
        return udp;
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        udp.close();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
