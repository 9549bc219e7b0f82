package org.vigie.playback.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * RTP as UDP datagrams from the server's RTP socket to the client's RTP port. A datagram the kernel cannot queue
 * is lost, as UDP is; the channel's writability still stops the sender when Netty's own buffer fills.
 */
final class UdpOutput implements MediaOutput {

    private final Channel rtpSocket;
    private final Channel rtcpSocket;
    private final InetSocketAddress client;
    private final int clientRtcpPort;
    private final int serverRtpPort;

    UdpOutput(Channel rtpSocket, Channel rtcpSocket, InetSocketAddress client, int clientRtcpPort, int serverRtpPort) {
        this.rtpSocket = rtpSocket;
        this.rtcpSocket = rtcpSocket;
        this.client = client;
        this.clientRtcpPort = clientRtcpPort;
        this.serverRtpPort = serverRtpPort;
    }

    @Override
    public ByteBuf newPacket(int rtpLength) {
        return rtpSocket.alloc().buffer(rtpLength);
    }

    @Override
    public void send(ByteBuf packet) {
        rtpSocket.write(new DatagramPacket(packet, client), rtpSocket.voidPromise());
    }

    @Override
    public ByteBuf newRtcp(int maxLength) {
        return rtcpSocket.alloc().buffer(maxLength);
    }

    @Override
    public void sendRtcp(ByteBuf rtcp) {
        rtcpSocket.writeAndFlush(new DatagramPacket(rtcp, new InetSocketAddress(client.getAddress(), clientRtcpPort)),
                rtcpSocket.voidPromise());
    }

    @Override
    public void flush() {
        rtpSocket.flush();
    }

    @Override
    public boolean isWritable() {
        return rtpSocket.isWritable();
    }

    @Override
    public String transportAnswer(int ssrc) {
        return "RTP/AVP;unicast;client_port=" + client.getPort() + "-" + clientRtcpPort + ";server_port="
                + serverRtpPort + "-" + (serverRtpPort + 1) + ";ssrc=" + String.format("%08X", ssrc);
    }
}
