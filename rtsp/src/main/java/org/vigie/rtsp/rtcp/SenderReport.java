package org.vigie.rtsp.rtcp;

/**
 * The sender information of an RTCP sender report (RFC 3550 section 6.4.1): the wall-clock time (NTP) at which the
 * sender's RTP clock read {@code rtpTimestamp}, and its counts.
 *
 * @param ntpTimestamp 64-bit NTP time (see {@link org.vigie.media.NtpTime})
 * @param rtpTimestamp the RTP timestamp of that instant (unsigned 32 bits in an int)
 */
public record SenderReport(int ssrc, long ntpTimestamp, int rtpTimestamp, long packetCount, long octetCount) {

    /** The middle 32 bits of the NTP time: a receiver report's LSR field. */
    public int lsr() {
        return (int) (ntpTimestamp >>> 16);
    }
}
