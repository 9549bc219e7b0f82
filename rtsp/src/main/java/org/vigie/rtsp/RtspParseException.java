package org.vigie.rtsp;

/**
 * The library's one error for input it cannot accept: a malformed header, SDP, RTP or RTCP packet, or input beyond
 * the library's bounds (an RTSP header block or body over 64 KiB, an access unit over its configured maximum).
 * Whatever a peer sends, the parsers of this library throw this exception and nothing else; the message says what
 * was wrong, never echoing more than a short excerpt of the input (credentials are never included).
 *
 * <p>It extends {@link IllegalArgumentException} so that callers validating a header value (a server answering
 * 400 or 457) catch it like any other bad argument.
 */
public class RtspParseException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private static final int EXCERPT = 60;

    public RtspParseException(String message) {
        super(message);
    }

    public RtspParseException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A short, printable excerpt of untrusted input for an error message. */
    public static String excerpt(String input) {
        if (input == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(input.length(), EXCERPT) + 5).append('\'');
        for (int i = 0; i < input.length() && i < EXCERPT; i++) {
            char c = input.charAt(i);
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        if (input.length() > EXCERPT) {
            b.append("...");
        }
        return b.append('\'').toString();
    }
}
