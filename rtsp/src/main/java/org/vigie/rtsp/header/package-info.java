/**
 * One small type per RTSP header (in the manner of gortsplib's {@code pkg/headers}): {@link
 * org.vigie.rtsp.header.Transport}, {@link org.vigie.rtsp.header.Range}, {@link org.vigie.rtsp.header.SessionHeader},
 * {@link org.vigie.rtsp.header.RtpInfo}, {@link org.vigie.rtsp.header.Challenge} ({@code WWW-Authenticate}),
 * {@link org.vigie.rtsp.header.Authorization}, {@link org.vigie.rtsp.header.PublicMethods} and {@link
 * org.vigie.rtsp.header.CSeq}. Each parses a header value, throwing {@link org.vigie.rtsp.RtspParseException} on
 * malformed input, and formats it back.
 */
package org.vigie.rtsp.header;
