package org.vigie.rtsp.auth;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.vigie.rtsp.RtspParseException;
import org.vigie.rtsp.header.Authorization;
import org.vigie.rtsp.header.Challenge;

/**
 * The server side of RTSP Digest authentication (RFC 2617, MD5, with or without {@code qop=auth}), as IP cameras
 * do it: a challenge with realm and nonce, and verification of a client's {@code Authorization: Digest ...} header
 * against the password of the user it names.
 *
 * <p>One nonce is drawn at construction and accepted for the life of the verifier (cameras commonly keep a nonce
 * for a long time; stale nonces are not issued). Immutable and thread-safe.
 */
public final class DigestVerifier {

    private final String realm;
    private final String nonce;
    private final boolean offerQop;

    /**
     * @param offerQop true to offer {@code qop="auth"} in the challenge (clients then send nc and cnonce)
     */
    public DigestVerifier(String realm, RandomGenerator random, boolean offerQop) {
        this(realm, randomNonce(random), offerQop);
    }

    /** With a given nonce: the published examples of RFC 2617 and RFC 7616 fix theirs. */
    public DigestVerifier(String realm, String nonce, boolean offerQop) {
        this.realm = Objects.requireNonNull(realm, "realm");
        this.nonce = Objects.requireNonNull(nonce, "nonce");
        this.offerQop = offerQop;
    }

    private static String randomNonce(RandomGenerator random) {
        byte[] n = new byte[16];
        random.nextBytes(n);
        return HexFormat.of().formatHex(n);
    }

    public String realm() {
        return realm;
    }

    public String nonce() {
        return nonce;
    }

    /** The value of the {@code WWW-Authenticate} header of a 401 answer. */
    public String challenge() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("realm", realm);
        p.put("nonce", nonce);
        if (offerQop) {
            p.put("qop", "auth");
        }
        p.put("algorithm", "MD5");
        return new Challenge("Digest", p).format();
    }

    /**
     * The user the header proves, if it does: Digest, this realm and nonce, a known user whose password gives the
     * same response for this method.
     *
     * @param passwords the password of a user name, or empty when there is no such user
     */
    public Optional<String> verify(String method, String authorization, Function<String, Optional<String>> passwords) {
        if (authorization == null) {
            return Optional.empty();
        }
        Authorization a;
        try {
            a = Authorization.parse(authorization);
        } catch (RtspParseException e) {
            return Optional.empty();
        }
        String user = a.param("username");
        String uri = a.param("uri");
        String response = a.param("response");
        String qop = a.param("qop");
        if (!a.is("Digest") || user == null || uri == null || response == null || !realm.equals(a.param("realm"))
                || !nonce.equals(a.param("nonce")) || !Digest.supportsAlgorithm(a.param("algorithm"))) {
            return Optional.empty();
        }
        if (qop != null && (!qop.equals("auth") || a.param("nc") == null || a.param("cnonce") == null)) {
            return Optional.empty();
        }
        Optional<String> password = passwords.apply(user);
        if (password.isEmpty()) {
            return Optional.empty();
        }
        String expected = Digest.response(a.param("algorithm"), new Credentials(user, password.get()), realm, nonce,
                method, uri, qop, a.param("nc"), a.param("cnonce"));
        return Digest.hexEquals(expected, response) ? Optional.of(user) : Optional.empty();
    }
}
