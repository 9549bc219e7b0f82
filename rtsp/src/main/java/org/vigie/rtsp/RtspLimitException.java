package org.vigie.rtsp;

/**
 * Input beyond one of the library's bounds ({@link RtspLimits}): a header block, body or access unit too large, too
 * many NAL units or headers. A parse error like any other, told apart so that operators see "limit exceeded".
 */
public final class RtspLimitException extends RtspParseException {

    private static final long serialVersionUID = 1L;

    public RtspLimitException(String message) {
        super(message);
    }
}
