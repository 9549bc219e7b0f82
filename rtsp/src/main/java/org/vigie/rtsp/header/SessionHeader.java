package org.vigie.rtsp.header;

import java.util.List;
import java.util.Locale;
import org.vigie.rtsp.RtspParseException;

/**
 * The RTSP {@code Session} header (RFC 2326 section 12.37): the session id a server gives in its SETUP answer, and
 * the seconds of inactivity after which it ends the session ({@code timeout}, 60 when absent). A client keeps the
 * session alive by sending a request at least every {@link #keepAliveSeconds()}. Immutable.
 *
 * @param id             the session identifier (printable, no {@code ;}), as the server wrote it
 * @param timeoutSeconds the server's timeout in seconds, at least 1
 */
public record SessionHeader(String id, int timeoutSeconds) {

    /** RFC 2326's default session timeout. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;
    private static final int MAX_ID = 256;

    public SessionHeader {
        checkId(id);
        if (timeoutSeconds < 1) {
            throw new RtspParseException("Session: timeout must be at least 1 s: " + timeoutSeconds);
        }
    }

    /**
     * Parses {@code id[;timeout=n]}. An unreadable timeout falls back to the default (cameras vary in spacing and
     * case); a missing or unprintable id is a parse error.
     */
    public static SessionHeader parse(String value) {
        if (value == null) {
            throw new RtspParseException("Session: missing");
        }
        List<String> parts = HeaderValues.splitOutsideQuotes(value, ';');
        String id = parts.get(0).strip();
        int timeout = DEFAULT_TIMEOUT_SECONDS;
        for (int i = 1; i < parts.size(); i++) {
            String p = parts.get(i).trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("timeout")) {
                try {
                    timeout = HeaderValues.parseInt("Session timeout", p.substring(eq + 1), 1, 86_400);
                } catch (RtspParseException e) {
                    timeout = DEFAULT_TIMEOUT_SECONDS;
                }
            }
        }
        return new SessionHeader(id, timeout);
    }

    /** Just the id of a header value (what a server looks up), or null when the header is absent. */
    public static String idOf(String value) {
        if (value == null) {
            return null;
        }
        int semi = value.indexOf(';');
        return (semi < 0 ? value : value.substring(0, semi)).trim();
    }

    /** Half the timeout, at least 1 s: when a client sends its keep-alive request. */
    public int keepAliveSeconds() {
        return Math.max(1, timeoutSeconds / 2);
    }

    /** The value of a server's answer: {@code id;timeout=n}. */
    public String format() {
        return id + ";timeout=" + timeoutSeconds;
    }

    private static void checkId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID) {
            throw new RtspParseException("Session: bad id " + RtspParseException.excerpt(id));
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == ';' || c == ',' || c == '"') {
                throw new RtspParseException("Session: bad id " + RtspParseException.excerpt(id));
            }
        }
    }
}
