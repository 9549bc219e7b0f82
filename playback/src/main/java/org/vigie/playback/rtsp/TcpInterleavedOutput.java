package org.vigie.playback.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * RTP interleaved in the RTSP connection on channel {@code rtpChannel}. Writability is the connection's: a client
 * that stops reading fills the socket and the outbound buffer up to the high-water mark, then the live sender
 * stops polling (its viewer queue drops to the next key frame) and the archive sender waits.
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
    public ByteBuf newPacket(int rtpLength) {
        ByteBuf b = channel.alloc().buffer(4 + rtpLength);
        b.writeByte('$').writeByte(rtpChannel).writeShort(rtpLength);
        return b;
    }

    @Override
    public void send(ByteBuf packet) {
        channel.write(new InterleavedPacket(packet), channel.voidPromise());
    }

    @Override
    public ByteBuf newRtcp(int maxLength) {
        return channel.alloc().buffer(maxLength);
    }

    @Override
    public void sendRtcp(ByteBuf rtcp) {
        try {
            ByteBuf b = channel.alloc().buffer(4 + rtcp.readableBytes());
            b.writeByte('$').writeByte(rtcpChannel).writeShort(rtcp.readableBytes()).writeBytes(rtcp);
            channel.write(new InterleavedPacket(b), channel.voidPromise());
        } finally {
            rtcp.release();
        }
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public String transportAnswer(int ssrc) {
        return "RTP/AVP/TCP;unicast;interleaved=" + rtpChannel + "-" + rtcpChannel + ";ssrc="
                + String.format("%08X", ssrc);
    }
}
