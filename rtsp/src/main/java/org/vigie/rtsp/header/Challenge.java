package org.vigie.rtsp.header;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vigie.rtsp.RtspParseException;

/**
 * One authentication challenge of a {@code WWW-Authenticate} header (RFC 2617, RFC 7235): a scheme ({@code Basic},
 * {@code Digest}) and its parameters ({@code realm}, {@code nonce}, {@code qop}, {@code algorithm}, {@code opaque},
 * {@code stale}). Cameras send several challenges either as several headers (Hikvision: Digest, then Basic) or
 * comma-separated in one; {@link #parseAll} reads both. Immutable.
 *
 * @param scheme the scheme as sent (compare with {@link #is})
 * @param params parameter names lower case, values unquoted; unmodifiable, in order
 */
public record Challenge(String scheme, Map<String, String> params) {

    public Challenge {
        params = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }

    /** Every challenge of every {@code WWW-Authenticate} header value of one answer, in order. */
    public static List<Challenge> parseAll(List<String> headerValues) {
        List<Challenge> out = new ArrayList<>();
        for (String v : headerValues) {
            AuthParams p = new AuthParams(v);
            while (!p.atEnd()) {
                String scheme = p.token();
                if (scheme == null) {
                    throw new RtspParseException("WWW-Authenticate: expected a scheme in " + RtspParseException.excerpt(v));
                }
                Map<String, String> params = AuthParams.newMap();
                p.parameters(params, "WWW-Authenticate");
                if (params.isEmpty()) {
                    int mark = p.position();
                    if (p.token68() == null) {
                        p.reset(mark);
                    }
                }
                out.add(new Challenge(scheme, params));
                if (out.size() > 16) {
                    throw new RtspParseException("WWW-Authenticate: too many challenges");
                }
            }
        }
        return out;
    }

    public boolean is(String name) {
        return scheme.equalsIgnoreCase(name);
    }

    /** A parameter's value, or null. */
    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    public String realm() {
        return param("realm");
    }

    /** True for a Digest challenge saying the nonce expired while the credentials were right. */
    public boolean stale() {
        return "true".equalsIgnoreCase(param("stale"));
    }

    /** The header value: {@code Digest realm="r", nonce="n", algorithm=MD5}. */
    public String format() {
        StringBuilder b = new StringBuilder(scheme);
        String sep = " ";
        for (Map.Entry<String, String> e : params.entrySet()) {
            b.append(sep).append(e.getKey()).append('=');
            if (e.getKey().equals("algorithm") || e.getKey().equals("stale")) {
                b.append(e.getValue());
            } else {
                b.append('"').append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            sep = ", ";
        }
        return b.toString();
    }
}
