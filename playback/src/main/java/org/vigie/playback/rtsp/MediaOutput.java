package org.vigie.playback.rtsp;

import io.netty.buffer.ByteBuf;

/**
 * Where a session's RTP packets go: interleaved in the RTSP connection ({@link TcpInterleavedOutput}) or UDP
 * datagrams to the client's port ({@link UdpOutput}). Used by one sending thread at a time.
 */
public interface MediaOutput {

    /** A buffer for one RTP packet of {@code rtpLength} bytes, with any framing already written before it. */
    ByteBuf newPacket(int rtpLength);

    /** Queues a packet returned by {@link #newPacket} (ownership passes to the output). */
    void send(ByteBuf packet);

    void flush();

    /** A buffer for one RTCP compound packet of at most {@code maxLength} bytes, for {@link #sendRtcp}. */
    ByteBuf newRtcp(int maxLength);

    /**
     * Queues one RTCP compound packet (not flushed; ownership passes to the output): on the interleaved RTCP channel,
     * or as a datagram from the server's RTCP port to the client's.
     */
    void sendRtcp(ByteBuf rtcp);

    /** False while the client is not reading fast enough: the sender stops and waits (drops for live). */
    boolean isWritable();

    /** The {@code Transport} header of the SETUP answer. */
    String transportAnswer(int ssrc);
}
