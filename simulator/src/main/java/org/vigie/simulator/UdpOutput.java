package org.vigie.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * RTP and RTCP as UDP datagrams from the simulator's shared server ports to the client's ports. All packets of an
 * access unit are written by one event-loop task and flushed once. The destination address is always the RTSP
 * peer's own address (a {@code destination=} parameter is ignored), so the simulator cannot be used to send
 * packets to a third party.
 */
final class UdpOutput implements MediaOutput {

    private final Channel rtp;
    private final Channel rtcp;
    private final InetSocketAddress rtpDestination;
    private final InetSocketAddress rtcpDestination;

    UdpOutput(Channel rtp, Channel rtcp, InetSocketAddress rtpDestination, InetSocketAddress rtcpDestination) {
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.rtpDestination = rtpDestination;
        this.rtcpDestination = rtcpDestination;
    }

    @Override
    public boolean isWritable() {
        return rtp.isActive() && rtp.isWritable();
    }

    @Override
    public void sendAccessUnit(RtpAccessUnit au, RtpStream stream, int timestamp) {
        List<DatagramPacket> packets = new ArrayList<>(au.payloads().size());
        int last = au.payloads().size() - 1;
        for (int i = 0; i <= last; i++) {
            byte[] p = au.payloads().get(i);
            ByteBuf buf = rtp.alloc().directBuffer(12 + p.length);
            stream.writePacket(buf, p, i == last, timestamp);
            packets.add(new DatagramPacket(buf, rtpDestination));
        }
        send(rtp, packets);
    }

    @Override
    public void sendRtcp(byte[] packet) {
        send(rtcp, List.of(new DatagramPacket(Unpooled.wrappedBuffer(packet), rtcpDestination)));
    }

    private static void send(Channel channel, List<DatagramPacket> packets) {
        try {
            channel.eventLoop().execute(() -> {
                for (DatagramPacket p : packets) {
                    channel.write(p, channel.voidPromise());
                }
                channel.flush();
            });
        } catch (RejectedExecutionException e) {
            packets.forEach(ReferenceCountUtil::safeRelease); // shutting down
        }
    }
}
