package org.vigie.rtsp;

/**
 * The bounds this library puts on what a peer may make it hold. Beyond them, a {@link RtspParseException} (and, for
 * a client, a reconnect): a hostile or broken camera cannot make the process allocate more.
 */
public final class RtspLimits {

    /** An RTSP message's start line and headers, up to and including the blank line. */
    public static final int MAX_HEADER_BLOCK = 64 * 1024;
    /** An RTSP message body (an SDP, a GET_PARAMETER body). */
    public static final int MAX_BODY = 64 * 1024;
    /** An interleaved frame: its length field is 16 bits, so this bound is the format's own. */
    public static final int MAX_INTERLEAVED_FRAME = 65_535;
    /** Default bound of one access unit (a whole picture, length prefixes included); configurable per client. */
    public static final int DEFAULT_MAX_ACCESS_UNIT = 8 * 1024 * 1024;
    /** NAL units in one access unit: real encoders use a few slices; beyond this the stream is hostile. */
    public static final int MAX_NAL_UNITS_PER_ACCESS_UNIT = 4096;
    /** Headers of one RTSP message. */
    public static final int MAX_HEADERS = 128;

    private RtspLimits() {
    }
}
