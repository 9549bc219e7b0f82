package org.vigie.rtsp.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A server's two shared UDP sockets: RTP on an even port, RTCP on the next one (RFC 3550 section 11). Every UDP
 * session sends from them (the {@code server_port} of its SETUP answer), so the number of sockets does not grow
 * with the sessions.
 */
public record UdpPortPair(Channel rtp, Channel rtcp, int rtpPort, int rtcpPort) implements AutoCloseable {

    /**
     * Binds an even port and the next one on {@code address}, both with {@code bootstrap}'s handler.
     *
     * @param rtpPort the even port wanted, or 0 to pick a free pair
     */
    public static UdpPortPair bind(Bootstrap bootstrap, InetAddress address, int rtpPort) {
        if (rtpPort % 2 != 0 || rtpPort < 0 || rtpPort > 65534) {
            throw new IllegalArgumentException("RTP port must be even (RTCP uses the next one): " + rtpPort);
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            Channel rtp = null;
            try {
                rtp = bootstrap.bind(new InetSocketAddress(address, rtpPort)).syncUninterruptibly().channel();
                int port = ((InetSocketAddress) rtp.localAddress()).getPort();
                if (port % 2 != 0 || port == 65535) {
                    rtp.close().syncUninterruptibly();
                    continue;
                }
                Channel rtcp = bootstrap.bind(new InetSocketAddress(address, port + 1)).syncUninterruptibly().channel();
                return new UdpPortPair(rtp, rtcp, port, port + 1);
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

    @Override
    public void close() {
        rtp.close().syncUninterruptibly();
        rtcp.close().syncUninterruptibly();
    }
}
