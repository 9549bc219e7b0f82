package org.vigie.rtsp.header;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.vigie.rtsp.RtspParseException;

/**
 * The RTSP {@code Authorization} header: {@code Basic <base64>} or {@code Digest username="..", realm="..",
 * nonce="..", uri="..", response="..", ...}. Immutable; {@link #toString()} never shows the credentials.
 *
 * @param scheme  {@code Basic} or {@code Digest} (as sent)
 * @param token68 the Basic credentials (base64), or null
 * @param params  Digest parameters, names lower case, values unquoted; unmodifiable
 */
public record Authorization(String scheme, String token68, Map<String, String> params) {

    public Authorization {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static Authorization parse(String value) {
        if (value == null || value.isBlank()) {
            throw new RtspParseException("Authorization: empty");
        }
        AuthParams p = new AuthParams(value);
        String scheme = p.token();
        if (scheme == null) {
            throw new RtspParseException("Authorization: no scheme");
        }
        Map<String, String> params = AuthParams.newMap();
        String token68 = null;
        if (!scheme.equalsIgnoreCase("Basic") && p.parameterFollows()) {
            p.parameters(params, "Authorization");
        } else {
            token68 = p.token68();
        }
        if (!p.atEnd()) {
            throw new RtspParseException("Authorization: unexpected text after the credentials");
        }
        return new Authorization(scheme, token68, params);
    }

    public boolean is(String name) {
        return scheme.equalsIgnoreCase(name);
    }

    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /** The header value. Digest parameters {@code algorithm}, {@code qop} and {@code nc} go unquoted (RFC 2617). */
    public String format() {
        if (token68 != null) {
            return scheme + " " + token68;
        }
        StringBuilder b = new StringBuilder(scheme);
        String sep = " ";
        for (Map.Entry<String, String> e : params.entrySet()) {
            String k = e.getKey();
            b.append(sep).append(k).append('=');
            if (k.equals("algorithm") || k.equals("qop") || k.equals("nc")) {
                b.append(e.getValue());
            } else {
                b.append('"').append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            sep = ", ";
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "Authorization[" + scheme + (params.containsKey("username") ? " user=" + params.get("username") : "")
                + "]";
    }
}
