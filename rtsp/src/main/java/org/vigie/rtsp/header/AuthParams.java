package org.vigie.rtsp.header;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.vigie.rtsp.RtspParseException;

/**
 * A tokenizer for the auth-param lists of {@code WWW-Authenticate} and {@code Authorization} (RFC 7235 section 2.1):
 * {@code scheme name=token, name="quoted, string", ...}. Names are lower-cased; quoted values are unescaped.
 */
final class AuthParams {

    private final String s;
    private int pos;

    AuthParams(String s) {
        this.s = s;
    }

    boolean atEnd() {
        skip(" \t,");
        return pos >= s.length();
    }

    /** A token (scheme or parameter name), or null when none starts here. */
    String token() {
        skip(" \t");
        int start = pos;
        while (pos < s.length() && isTokenChar(s.charAt(pos))) {
            pos++;
        }
        return pos == start ? null : s.substring(start, pos);
    }

    /** True when a parameter ({@code name=}) starts at the current position, false for a new scheme. */
    boolean parameterFollows() {
        int p = pos;
        while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t' || s.charAt(p) == ',')) {
            p++;
        }
        int nameStart = p;
        while (p < s.length() && isTokenChar(s.charAt(p))) {
            p++;
        }
        if (p == nameStart) {
            return false;
        }
        while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
            p++;
        }
        return p < s.length() && s.charAt(p) == '=' && (p + 1 >= s.length() || s.charAt(p + 1) != '=');
    }

    /** Reads {@code name=value} pairs up to the next scheme or the end, into {@code out}. */
    void parameters(Map<String, String> out, String header) {
        while (parameterFollows()) {
            skip(" \t,");
            String name = token().toLowerCase(Locale.ROOT);
            skip(" \t");
            pos++; // '='
            skip(" \t");
            String value;
            if (pos < s.length() && s.charAt(pos) == '"') {
                StringBuilder b = new StringBuilder();
                pos++;
                boolean closed = false;
                while (pos < s.length()) {
                    char c = s.charAt(pos++);
                    if (c == '\\' && pos < s.length()) {
                        b.append(s.charAt(pos++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        b.append(c);
                    }
                }
                if (!closed) {
                    throw new RtspParseException(header + ": unterminated quoted string");
                }
                value = b.toString();
            } else {
                int start = pos;
                while (pos < s.length() && s.charAt(pos) != ',' && s.charAt(pos) != ' ' && s.charAt(pos) != '\t') {
                    pos++;
                }
                value = s.substring(start, pos);
            }
            if (out.size() >= 32) {
                throw new RtspParseException(header + ": too many parameters");
            }
            out.putIfAbsent(name, value);
        }
    }

    /** The rest of the value after the scheme when it is a token68 (Basic credentials), else null. */
    String token68() {
        skip(" \t");
        int start = pos;
        while (pos < s.length() && (isTokenChar(s.charAt(pos)) || s.charAt(pos) == '/' || s.charAt(pos) == '=')) {
            pos++;
        }
        return pos == start ? null : s.substring(start, pos);
    }

    int position() {
        return pos;
    }

    void reset(int p) {
        pos = p;
    }

    private void skip(String chars) {
        while (pos < s.length() && chars.indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?={} \t".indexOf(c) < 0;
    }

    static Map<String, String> newMap() {
        return new LinkedHashMap<>();
    }
}
