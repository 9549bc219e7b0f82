package org.vigie.simulator;

/**
 * Where a session's RTP and RTCP packets go: interleaved in the RTSP connection ({@link TcpInterleavedOutput}) or
 * as UDP datagrams ({@link UdpOutput}). Called on the pacer thread with the camera's monitor held: implementations
 * never block, they hand the bytes to Netty.
 */
interface MediaOutput {

    /** False while the client is not reading fast enough: the caller then drops the frame. */
    boolean isWritable();

    /** Sends the packets of one access unit; the last one carries the marker bit. */
    void sendAccessUnit(RtpAccessUnit au, RtpStream stream, int timestamp);

    /** Sends one RTCP compound packet. */
    void sendRtcp(byte[] packet);
}
