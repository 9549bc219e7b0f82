package org.vigie.simulator;

import java.util.List;

/**
 * One access unit cut into RTP payloads (RFC 6184), computed once per clip and shared by every session: each
 * session only adds its own 12-byte RTP header (sequence number, timestamp, SSRC). Immutable: the payload arrays
 * must never be modified.
 *
 * @param payloads the RTP payloads in order; the last one carries the marker bit
 * @param idr      true when the access unit is an IDR picture (a client may start here)
 */
public record RtpAccessUnit(List<byte[]> payloads, boolean idr) {

    public RtpAccessUnit {
        payloads = List.copyOf(payloads);
        if (payloads.isEmpty()) {
            throw new IllegalArgumentException("an access unit has at least one payload");
        }
    }

    /** Sum of the payload sizes (the RTCP octet count of this access unit). */
    public int payloadBytes() {
        int n = 0;
        for (byte[] p : payloads) {
            n += p.length;
        }
        return n;
    }
}
