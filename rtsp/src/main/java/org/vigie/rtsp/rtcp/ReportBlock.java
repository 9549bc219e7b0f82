package org.vigie.rtsp.rtcp;

/**
 * One reception report block of an RTCP SR or RR (RFC 3550 section 6.4.1).
 *
 * @param ssrc             the source the block is about
 * @param fractionLost     lost fraction since the last report, in 1/256
 * @param cumulativeLost   packets lost since the start (24-bit signed)
 * @param highestSequence  extended highest sequence number received
 * @param jitter           interarrival jitter, in timestamp units
 * @param lsr              middle 32 bits of the last sender report's NTP time, 0 if none
 * @param dlsr             delay since that report, in 1/65536 s
 */
public record ReportBlock(int ssrc, int fractionLost, int cumulativeLost, long highestSequence, long jitter, int lsr,
                          long dlsr) {
}
