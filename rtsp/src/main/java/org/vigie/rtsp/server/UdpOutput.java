package org.vigie.rtsp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.RejectedExecutionException;
import org.vigie.rtsp.header.Transport;
import org.vigie.rtsp.rtp.RtpStream;

/**
 * RTP and RTCP as UDP datagrams from the server's shared port pair to the client's ports. All packets of an access
 * unit are written by one event-loop task and flushed once. The destination is always the RTSP peer's own address
 * (a {@code destination=} parameter is ignored), so the server cannot be used to send packets to a third party.
 * A datagram the kernel cannot queue is lost, as UDP is; Netty's writability still stops the sender when its own
 * buffer fills.
 */
public final class UdpOutput implements MediaOutput {

    private final UdpPortPair ports;
    private final InetSocketAddress rtpDestination;
    private final InetSocketAddress rtcpDestination;

    /**
     * @param peer       the RTSP client's address
     * @param clientPort the client's port pair from its {@code Transport} header
     */
    public UdpOutput(UdpPortPair ports, java.net.InetAddress peer, Transport.PortPair clientPort) {
        this.ports = ports;
        this.rtpDestination = new InetSocketAddress(peer, clientPort.rtp());
        this.rtcpDestination = new InetSocketAddress(peer, clientPort.rtcp());
    }

    @Override
    public boolean isWritable() {
        return ports.rtp().isActive() && ports.rtp().isWritable();
    }

    @Override
    public void sendAccessUnit(List<byte[]> payloads, RtpStream stream, int timestamp, RtpHeaderExtension extension) {
        List<DatagramPacket> packets = new ArrayList<>(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            List<byte[]> one = payloads.subList(i, i + 1);
            ByteBuf buf = ports.rtp().alloc().directBuffer(MediaOutput.packetsLength(one, extension, false));
            // the marker goes on the last payload of the access unit only
            writeOne(buf, payloads.get(i), stream, timestamp, extension, i, i == payloads.size() - 1);
            packets.add(new DatagramPacket(buf, rtpDestination));
        }
        send(ports.rtp(), packets);
    }

    private static void writeOne(ByteBuf buf, byte[] payload, RtpStream stream, int timestamp,
                                 RtpHeaderExtension extension, int index, boolean last) {
        stream.writeHeader(buf, last, timestamp, extension != null);
        if (extension != null) {
            buf.writeShort(extension.profile());
            buf.writeShort(extension.words());
            extension.write(buf, index);
        }
        buf.writeBytes(payload);
        stream.counted(payload.length);
    }

    @Override
    public void sendRtcp(ByteBuf packet) {
        send(ports.rtcp(), List.of(new DatagramPacket(packet, rtcpDestination)));
    }

    @Override
    public Transport transport(int ssrc) {
        return new Transport("RTP/AVP", false, false, null,
                new Transport.PortPair(rtpDestination.getPort(), rtcpDestination.getPort()),
                new Transport.PortPair(ports.rtpPort(), ports.rtcpPort()), OptionalLong.of(ssrc & 0xFFFF_FFFFL),
                "PLAY");
    }

    private static void send(io.netty.channel.Channel channel, List<DatagramPacket> packets) {
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
