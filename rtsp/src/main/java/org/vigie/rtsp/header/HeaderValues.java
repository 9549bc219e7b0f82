package org.vigie.rtsp.header;

import java.util.ArrayList;
import java.util.List;
import org.vigie.rtsp.RtspParseException;

/** Small helpers shared by the header parsers: splitting outside quotes, unquoting, bounded integers. */
final class HeaderValues {

    private HeaderValues() {
    }

    /** Splits at {@code sep} where it is not inside a double-quoted string; parts are not trimmed. */
    static List<String> splitOutsideQuotes(String s, char sep) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == sep && !quoted) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    /** The value without surrounding double quotes (and with {@code \"} unescaped), or as is when not quoted. */
    static String unquote(String v) {
        String t = v.trim();
        if (t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"') {
            String inner = t.substring(1, t.length() - 1);
            return inner.indexOf('\\') < 0 ? inner : inner.replaceAll("\\\\(.)", "$1");
        }
        return t;
    }

    /** A decimal integer within [min, max]; anything else is a parse error naming the header field. */
    static int parseInt(String what, String v, int min, int max) {
        long n = parseLong(what, v, min, max);
        return (int) n;
    }

    static long parseLong(String what, String v, long min, long max) {
        String t = v.trim();
        if (t.isEmpty() || t.length() > 19) {
            throw new RtspParseException(what + ": bad number " + RtspParseException.excerpt(v));
        }
        long n = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                throw new RtspParseException(what + ": bad number " + RtspParseException.excerpt(v));
            }
            n = n * 10 + (c - '0');
            if (n > max) {
                throw new RtspParseException(what + ": number out of range " + RtspParseException.excerpt(v));
            }
        }
        if (n < min) {
            throw new RtspParseException(what + ": number out of range " + RtspParseException.excerpt(v));
        }
        return n;
    }
}
