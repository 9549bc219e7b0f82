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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Bootstrap of the simulator's sockets: the RTSP TCP listener and the shared UDP RTP/RTCP pair, all bound to the
 * configured address (loopback by default), on one boss thread and one worker thread per core (at most 2).
 */
final class RtspServer implements AutoCloseable {

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final UdpMediaPorts udp;

    private RtspServer(EventLoopGroup boss, EventLoopGroup workers, Channel listener, UdpMediaPorts udp) {
        this.boss = boss;
        this.workers = workers;
        this.listener = listener;
        this.udp = udp;
    }

    static RtspServer bind(int port, ServedCameras served, DigestAuthenticator authenticator,
                           SimulatorOptions options) {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        try {
            InetAddress address = options.bindAddress();
            UdpMediaPorts udp = bindUdp(workers, address, options.udpRtpPort(),
                    new RtcpReceiverHandler(served, options.clock()));
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

    private static UdpMediaPorts bindUdp(EventLoopGroup group, InetAddress address, int rtpPort,
                                         RtcpReceiverHandler handler) {
        Bootstrap b = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(handler);
        for (int attempt = 0; attempt < 50; attempt++) {
            Channel rtp = null;
            try {
                rtp = b.bind(new InetSocketAddress(address, rtpPort)).syncUninterruptibly().channel();
                int port = ((InetSocketAddress) rtp.localAddress()).getPort();
                if (port % 2 != 0) {
                    rtp.close().syncUninterruptibly();
                    continue;
                }
                Channel rtcp = b.bind(new InetSocketAddress(address, port + 1)).syncUninterruptibly().channel();
                return new UdpMediaPorts(rtp, rtcp, port, port + 1);
            } catch (RuntimeException e) {
                if (rtp != null) {
                    rtp.close().syncUninterruptibly();
                }
                if (rtpPort != 0) {
                    throw e;
                }
            }
        }
        throw new UncheckedIOException(new IOException("no free even/odd UDP port pair on " + address));
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    UdpMediaPorts udp() {
        return udp;
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        udp.rtp().close().syncUninterruptibly();
        udp.rtcp().close().syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
