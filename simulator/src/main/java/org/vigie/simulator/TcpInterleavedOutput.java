package org.vigie.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * RTP and RTCP interleaved in the RTSP TCP connection. One access unit becomes one buffer and one write, so a
 * camera costs one event-loop task per client per frame. Writability follows the channel's write-buffer water
 * marks: a client that does not read makes {@link #isWritable()} false instead of growing memory.
 */
final class TcpInterleavedOutput implements MediaOutput {

    private final Channel channel;
    private final int rtpChannel;
    private final int rtcpChannel;

    TcpInterleavedOutput(Channel channel, int rtpChannel, int rtcpChannel) {
        this.channel = channel;
        this.rtpChannel = rtpChannel;
        this.rtcpChannel = rtcpChannel;
    }

    @Override
    public boolean isWritable() {
        return channel.isActive() && channel.isWritable();
    }

    @Override
    public void sendAccessUnit(RtpAccessUnit au, RtpStream stream, int timestamp) {
        int total = 0;
        for (byte[] p : au.payloads()) {
            total += 4 + 12 + p.length;
        }
        ByteBuf buf = channel.alloc().directBuffer(total);
        int last = au.payloads().size() - 1;
        for (int i = 0; i <= last; i++) {
            byte[] p = au.payloads().get(i);
            buf.writeByte('$').writeByte(rtpChannel).writeShort(12 + p.length);
            stream.writePacket(buf, p, i == last, timestamp);
        }
        channel.writeAndFlush(new InterleavedData(buf), channel.voidPromise());
    }

    @Override
    public void sendRtcp(byte[] packet) {
        ByteBuf buf = channel.alloc().directBuffer(4 + packet.length);
        buf.writeByte('$').writeByte(rtcpChannel).writeShort(packet.length).writeBytes(packet);
        channel.writeAndFlush(new InterleavedData(buf), channel.voidPromise());
    }
}
