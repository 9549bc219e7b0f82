package org.vigie.rtsp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.List;
import org.vigie.rtsp.header.Transport;
import org.vigie.rtsp.interleaved.InterleavedPacket;
import org.vigie.rtsp.rtp.RtpStream;

/**
 * RTP and RTCP interleaved in the RTSP TCP connection. One access unit becomes one buffer and one write, so a
 * session costs one event-loop task per frame. Writability follows the channel's write-buffer water marks: a client
 * that does not read makes {@link #isWritable()} false instead of growing memory. The channel's pipeline must
 * unwrap {@link InterleavedPacket} ({@link org.vigie.rtsp.interleaved.InterleavedEncoder}).
 */
public final class TcpInterleavedOutput implements MediaOutput {

    private final Channel channel;
    private final Transport.PortPair channels;

    public TcpInterleavedOutput(Channel channel, Transport.PortPair channels) {
        this.channel = channel;
        this.channels = channels;
    }

    @Override
    public boolean isWritable() {
        return channel.isActive() && channel.isWritable();
    }

    @Override
    public void sendAccessUnit(List<byte[]> payloads, RtpStream stream, int timestamp, RtpHeaderExtension extension) {
        ByteBuf buf = channel.alloc().directBuffer(MediaOutput.packetsLength(payloads, extension, true));
        try {
            MediaOutput.writePackets(buf, payloads, stream, timestamp, extension, channels.rtp());
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        channel.writeAndFlush(new InterleavedPacket(buf), channel.voidPromise());
    }

    @Override
    public void sendRtcp(ByteBuf packet) {
        ByteBuf buf = channel.alloc().directBuffer(4 + packet.readableBytes());
        InterleavedPacket.writeFraming(buf, channels.rtcp(), packet.readableBytes());
        buf.writeBytes(packet);
        packet.release();
        channel.writeAndFlush(new InterleavedPacket(buf), channel.voidPromise());
    }

    @Override
    public Transport transport(int ssrc) {
        return new Transport("RTP/AVP", true, false, channels, null, null, java.util.OptionalLong.empty(), "PLAY")
                .answer(ssrc, null);
    }
}
