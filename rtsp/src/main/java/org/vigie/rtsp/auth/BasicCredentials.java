package org.vigie.rtsp.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.vigie.rtsp.RtspParseException;
import org.vigie.rtsp.header.Authorization;

/**
 * The server side of RTSP Basic authentication: the user name and password of an {@code Authorization: Basic ...}
 * header, to be checked by the caller (the re-stream checks them against its users; Basic is for RTSPS or trusted
 * networks only).
 */
public final class BasicCredentials {

    private BasicCredentials() {
    }

    /** The credentials of a Basic header, or empty for anything else (another scheme, bad base64, no colon). */
    public static Optional<Credentials> decode(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        try {
            Authorization a = Authorization.parse(authorization);
            if (!a.is("Basic") || a.token68() == null) {
                return Optional.empty();
            }
            String decoded = new String(Base64.getDecoder().decode(a.token68()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The {@code WWW-Authenticate} value of a 401 answer. */
    public static String challenge(String realm) {
        return "Basic realm=\"" + realm.replace("\"", "") + "\"";
    }
}
