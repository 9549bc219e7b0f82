/**
 * The project's one RTSP/RTP library, on Netty: header types ({@code header}), SDP ({@code sdp}), H.264/H.265
 * parameter sets and decoder configuration records ({@code codec}), RTP packets, packetizers and depacketizers
 * ({@code rtp}), RTCP and NTP time ({@code rtcp}), interleaved framing ({@code interleaved}), Basic and Digest
 * authentication ({@code auth}), RTSP messages ({@code message}), the server-side transport outputs
 * ({@code server}) and the event-loop client ({@code client}). It depends on the media model
 * ({@code org.vigie.media}) and Netty only; the ingest engine, the re-stream server and the camera simulator use it.
 *
 * <p>Every parser throws {@link org.vigie.rtsp.RtspParseException} on bad input and nothing else, within the bounds
 * of {@link org.vigie.rtsp.RtspLimits}.
 */
package org.vigie.rtsp;
