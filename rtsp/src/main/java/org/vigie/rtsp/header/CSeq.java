package org.vigie.rtsp.header;

import org.vigie.rtsp.RtspParseException;

/**
 * The RTSP {@code CSeq} header (RFC 2326 section 12.17): a client numbers its requests 1, 2, 3...; the server copies
 * the number into its answer, which is how a client pairs answers with requests. Not thread-safe: one counter per
 * connection, used on its event loop.
 */
public final class CSeq {

    private int next = 1;

    /** The number of the next request. */
    public int next() {
        int n = next;
        next = n == Integer.MAX_VALUE ? 1 : n + 1;
        return n;
    }

    /** Parses a header value: a non-negative decimal integer (up to 2^31 - 1). */
    public static int parse(String value) {
        if (value == null) {
            throw new RtspParseException("CSeq: missing");
        }
        return HeaderValues.parseInt("CSeq", value, 0, Integer.MAX_VALUE);
    }
}
