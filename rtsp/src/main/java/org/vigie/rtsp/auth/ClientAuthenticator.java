package org.vigie.rtsp.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.vigie.rtsp.header.Authorization;
import org.vigie.rtsp.header.Challenge;

/**
 * The client side of RTSP authentication: from the challenges of a 401 answer it picks Digest (MD5 or MD5-sess,
 * {@code qop=auth} when offered, RFC 2069 style otherwise) over Basic, then signs every later request. Credentials
 * are never sent before a challenge asks for them, and Basic only when the camera offers nothing better.
 * Not thread-safe: one per connection, on its event loop.
 */
public final class ClientAuthenticator {

    private final Credentials credentials;
    private final RandomGenerator random;
    private Challenge chosen;
    private int nonceCount;

    public ClientAuthenticator(Credentials credentials, RandomGenerator random) {
        this.credentials = credentials;
        this.random = random;
    }

    /**
     * Takes the challenges of a 401 answer. Returns false when none can be answered (no supported scheme, or an
     * algorithm or qop this library does not compute).
     */
    public boolean accept(List<Challenge> challenges) {
        Challenge digest = null;
        Challenge basic = null;
        for (Challenge c : challenges) {
            if (c.is("Digest") && digest == null && c.param("nonce") != null && c.realm() != null
                    && Digest.supportsAlgorithm(c.param("algorithm")) && qopOf(c) != Qop.UNSUPPORTED) {
                digest = c;
            } else if (c.is("Basic") && basic == null) {
                basic = c;
            }
        }
        Challenge next = digest != null ? digest : basic;
        if (next == null) {
            return false;
        }
        if (chosen == null || !next.is(chosen.scheme()) || !String.valueOf(next.param("nonce")).equals(chosen.param("nonce"))) {
            nonceCount = 0;
        }
        chosen = next;
        return true;
    }

    /** True once a challenge was accepted: requests are then signed. */
    public boolean ready() {
        return chosen != null;
    }

    /** The scheme in use ("Digest" or "Basic"), for diagnostics. */
    public Optional<String> scheme() {
        return Optional.ofNullable(chosen).map(Challenge::scheme);
    }

    /** The {@code Authorization} value for a request, or empty before any challenge. */
    public Optional<String> authorization(String method, String uri) {
        if (chosen == null) {
            return Optional.empty();
        }
        if (chosen.is("Basic")) {
            String token = Base64.getEncoder().encodeToString(
                    (credentials.user() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8));
            return Optional.of("Basic " + token);
        }
        String realm = chosen.realm();
        String nonce = chosen.param("nonce");
        String algorithm = chosen.param("algorithm");
        Map<String, String> p = new LinkedHashMap<>();
        p.put("username", credentials.user());
        p.put("realm", realm);
        p.put("nonce", nonce);
        p.put("uri", uri);
        String response;
        if (qopOf(chosen) == Qop.AUTH) {
            String nc = String.format("%08x", ++nonceCount);
            byte[] c = new byte[8];
            random.nextBytes(c);
            String cnonce = HexFormat.of().formatHex(c);
            response = Digest.response(algorithm, credentials, realm, nonce, method, uri, "auth", nc, cnonce);
            p.put("response", response);
            p.put("qop", "auth");
            p.put("nc", nc);
            p.put("cnonce", cnonce);
        } else {
            response = Digest.response(algorithm, credentials, realm, nonce, method, uri, null, null, null);
            p.put("response", response);
        }
        if (algorithm != null) {
            p.put("algorithm", algorithm);
        }
        if (chosen.param("opaque") != null) {
            p.put("opaque", chosen.param("opaque"));
        }
        return Optional.of(new Authorization("Digest", null, p).format());
    }

    private enum Qop { NONE, AUTH, UNSUPPORTED }

    private static Qop qopOf(Challenge c) {
        String qop = c.param("qop");
        if (qop == null) {
            return Qop.NONE;
        }
        Map<String, Boolean> offered = new HashMap<>();
        for (String q : qop.split(",")) {
            offered.put(q.trim().toLowerCase(Locale.ROOT), true);
        }
        return offered.containsKey("auth") ? Qop.AUTH : Qop.UNSUPPORTED;
    }
}
