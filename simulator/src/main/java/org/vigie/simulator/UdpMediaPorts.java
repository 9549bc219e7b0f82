package org.vigie.simulator;

import io.netty.channel.Channel;

/**
 * The simulator's two shared UDP sockets: RTP on an even port, RTCP on the next one. Every UDP session sends from
 * them (the {@code server_port} of its SETUP answer), so the number of sockets does not grow with the sessions.
 */
record UdpMediaPorts(Channel rtp, Channel rtcp, int rtpPort, int rtcpPort) {
}
