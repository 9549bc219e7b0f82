package org.vigie.rtsp.message;

import java.nio.charset.StandardCharsets;
import org.vigie.rtsp.RtspLimits;
import org.vigie.rtsp.RtspLimitException;
import org.vigie.rtsp.RtspParseException;

/**
 * Parses one whole RTSP message (start line, headers, blank line, body; as the {@code InterleavedDemuxer} cuts
 * them) into an {@link RtspResponse} or, for a request a server sends its client (rare, but RFC 2326 allows
 * ANNOUNCE, GET_PARAMETER, SET_PARAMETER, OPTIONS and REDIRECT), an {@link RtspRequest}. Lenient where cameras
 * differ (LF or CRLF, spaces around the colon, folded lines, a missing reason phrase), strict on the start line and
 * the bounds. Stateless.
 */
public final class RtspMessages {

    private RtspMessages() {
    }

    /**
     * @return an {@link RtspResponse} or an {@link RtspRequest}
     * @throws RtspParseException when the bytes are not an RTSP/1.0 (or 2.0) message within the bounds
     */
    public static Object parse(byte[] message) {
        int headEnd = headEnd(message);
        if (headEnd < 0) {
            throw new RtspParseException("RTSP message without a blank line");
        }
        if (headEnd > RtspLimits.MAX_HEADER_BLOCK) {
            throw new RtspLimitException("RTSP message head longer than " + RtspLimits.MAX_HEADER_BLOCK + " bytes");
        }
        String head = new String(message, 0, headEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r?\n", -1);
        String start = lines[0];
        RtspHeaders.Builder headers = RtspHeaders.builder();
        String name = null;
        StringBuilder value = null;
        int count = 0;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append(' ').append(line.strip()); // obsolete line folding
                continue;
            }
            if (name != null) {
                headers.add(name, value.toString());
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new RtspParseException("RTSP header without a colon: " + RtspParseException.excerpt(line));
            }
            if (++count > RtspLimits.MAX_HEADERS) {
                throw new RtspLimitException("more than " + RtspLimits.MAX_HEADERS + " RTSP headers");
            }
            name = line.substring(0, colon).strip();
            if (name.isEmpty()) {
                throw new RtspParseException("RTSP header without a name");
            }
            value = new StringBuilder(line.substring(colon + 1).strip());
        }
        if (name != null) {
            headers.add(name, value.toString());
        }
        RtspHeaders h = headers.build();
        int bodyLength = message.length - headEnd;
        if (bodyLength > RtspLimits.MAX_BODY) {
            throw new RtspLimitException("RTSP body longer than " + RtspLimits.MAX_BODY + " bytes");
        }
        byte[] body = java.util.Arrays.copyOfRange(message, headEnd, message.length);
        if (start.startsWith("RTSP/")) {
            return response(start, h, body);
        }
        String[] parts = start.split(" ", -1);
        if (parts.length != 3 || !parts[2].startsWith("RTSP/") || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new RtspParseException("not an RTSP start line: " + RtspParseException.excerpt(start));
        }
        try {
            return new RtspRequest(parts[0], parts[1], h, body);
        } catch (IllegalArgumentException e) {
            throw new RtspParseException("not an RTSP start line: " + RtspParseException.excerpt(start));
        }
    }

    private static RtspResponse response(String start, RtspHeaders h, byte[] body) {
        int sp = start.indexOf(' ');
        String version = sp < 0 ? start : start.substring(0, sp);
        if (!version.equals("RTSP/1.0") && !version.equals("RTSP/2.0") || sp < 0) {
            throw new RtspParseException("not an RTSP status line: " + RtspParseException.excerpt(start));
        }
        String rest = start.substring(sp + 1).strip();
        int sp2 = rest.indexOf(' ');
        String code = sp2 < 0 ? rest : rest.substring(0, sp2);
        if (code.length() != 3 || !code.chars().allMatch(c -> c >= '0' && c <= '9') || code.charAt(0) == '0') {
            throw new RtspParseException("bad RTSP status code: " + RtspParseException.excerpt(start));
        }
        return new RtspResponse(Integer.parseInt(code), sp2 < 0 ? "" : rest.substring(sp2 + 1).strip(), h, body);
    }

    /** Index after the blank line ending the head, or -1. */
    private static int headEnd(byte[] m) {
        for (int i = 0; i < m.length - 1; i++) {
            if (m[i] == '\n') {
                if (m[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < m.length && m[i + 1] == '\r' && m[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }
}
