/**
 * RTP (RFC 3550) for H.264 (RFC 6184) and H.265 (RFC 7798): the packet view, the sender's numbering, packetizers
 * (single NAL unit and fragmentation units) and depacketizers (single NAL unit, aggregation and fragmentation units)
 * that assemble access units once from the socket's buffers, with sequence-gap, timestamp-wrap and size-bound
 * handling. Netty buffers; no threads of its own.
 */
package org.vigie.rtsp.rtp;
