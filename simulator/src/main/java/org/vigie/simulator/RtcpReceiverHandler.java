package org.vigie.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.time.InstantSource;
import org.vigie.rtsp.RtspParseException;
import org.vigie.rtsp.rtcp.RtcpPacket;

/**
 * Reads datagrams arriving on the simulator's UDP ports: RTCP receiver reports keep their sessions alive; anything
 * else (RTP sent to a camera, garbage) is ignored. Never throws on malformed input. Stateless.
 */
@ChannelHandler.Sharable
final class RtcpReceiverHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private final ServedCameras served;
    private final InstantSource clock;

    RtcpReceiverHandler(ServedCameras served, InstantSource clock) {
        this.served = served;
        this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf data = packet.content();
        RtcpPacket rtcp;
        try {
            rtcp = RtcpPacket.parse(data, data.readerIndex(), data.readableBytes());
        } catch (RtspParseException e) {
            return; // RTP sent to a camera, garbage
        }
        for (int ssrc : rtcp.reportedSsrcs()) {
            RtspSession s = served.sessionBySsrc(ssrc);
            if (s != null) {
                s.touch(clock.instant());
            }
        }
    }
}
