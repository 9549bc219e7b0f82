package org.vigie.rtsp.server;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.vigie.rtsp.header.Transport;
import org.vigie.rtsp.rtp.RtpStream;

/**
 * Where an RTSP server session's RTP and RTCP go: interleaved in the RTSP connection ({@link TcpInterleavedOutput})
 * or as UDP datagrams from the server's port pair ({@link UdpOutput}). Callable from any thread (the simulator's
 * pacer, the re-stream's event loop or archive sender), by one thread at a time per session: an implementation never
 * blocks and hands each access unit to Netty as one event-loop task with one flush.
 */
public interface MediaOutput {

    /** False while the client is not reading fast enough: the caller then drops (live) or waits (archive). */
    boolean isWritable();

    /**
     * Sends the packets of one access unit, all with {@code timestamp}, numbered by {@code stream}; the last one
     * carries the marker bit.
     *
     * @param extension a header extension for every packet, or null
     */
    void sendAccessUnit(List<byte[]> payloads, RtpStream stream, int timestamp, RtpHeaderExtension extension);

    /** Sends one RTCP compound packet; ownership of {@code packet} passes to the output. */
    void sendRtcp(ByteBuf packet);

    /** The {@code Transport} of the SETUP answer, with the stream's SSRC. */
    Transport transport(int ssrc);

    /** Writes the packets of an access unit into {@code out}, each preceded by {@code framing} bytes (TCP: 4). */
    static void writePackets(ByteBuf out, List<byte[]> payloads, RtpStream stream, int timestamp,
                             RtpHeaderExtension extension, int interleavedChannel) {
        int last = payloads.size() - 1;
        int extLength = extension == null ? 0 : 4 + 4 * extension.words();
        for (int i = 0; i <= last; i++) {
            byte[] p = payloads.get(i);
            if (interleavedChannel >= 0) {
                org.vigie.rtsp.interleaved.InterleavedPacket.writeFraming(out, interleavedChannel,
                        12 + extLength + p.length);
            }
            stream.writeHeader(out, i == last, timestamp, extension != null);
            if (extension != null) {
                out.writeShort(extension.profile());
                out.writeShort(extension.words());
                int before = out.writerIndex();
                extension.write(out, i);
                if (out.writerIndex() - before != 4 * extension.words()) {
                    throw new IllegalStateException("header extension wrote " + (out.writerIndex() - before)
                            + " bytes, announced " + 4 * extension.words());
                }
            }
            out.writeBytes(p);
            stream.counted(p.length);
        }
    }

    /** The bytes {@link #writePackets} writes. */
    static int packetsLength(List<byte[]> payloads, RtpHeaderExtension extension, boolean framed) {
        int extLength = extension == null ? 0 : 4 + 4 * extension.words();
        int total = 0;
        for (byte[] p : payloads) {
            total += (framed ? 4 : 0) + 12 + extLength + p.length;
        }
        return total;
    }
}
