package org.vigie.rtsp.header;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.vigie.rtsp.RtspParseException;

/**
 * The RTSP {@code Public} header of an OPTIONS answer (RFC 2326 section 12.28): the methods the server supports.
 * A client sends {@code GET_PARAMETER} as keep-alive only when it is listed, and {@code OPTIONS} otherwise.
 * Immutable; names are upper case.
 */
public record PublicMethods(Set<String> methods) {

    /** No {@code Public} header at all: nothing is known to be supported. */
    public static final PublicMethods UNKNOWN = new PublicMethods(Set.of());

    public PublicMethods {
        methods = Collections.unmodifiableSet(new LinkedHashSet<>(methods));
    }

    public static PublicMethods parse(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        Set<String> m = new LinkedHashSet<>();
        for (String s : value.split(",")) {
            String t = s.trim().toUpperCase(Locale.ROOT);
            if (t.isEmpty()) {
                continue;
            }
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_' && c != '-') {
                    throw new RtspParseException("Public: bad method " + RtspParseException.excerpt(t));
                }
            }
            if (m.size() >= 64) {
                throw new RtspParseException("Public: too many methods");
            }
            m.add(t);
        }
        return new PublicMethods(m);
    }

    public boolean supports(String method) {
        return methods.contains(method.toUpperCase(Locale.ROOT));
    }

    public String format() {
        return String.join(", ", methods);
    }
}
