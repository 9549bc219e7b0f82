package org.vigie.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * RTSP Digest authentication as IP cameras do it (RFC 2617, MD5, with or without {@code qop=auth}): a challenge
 * with realm and nonce, and verification of the client's {@code Authorization: Digest ...} header.
 *
 * <p>One nonce is drawn at construction and accepted for the life of the simulator (cameras commonly keep a
 * nonce for a long time; stale-nonce handling is not simulated). Immutable and thread-safe.
 */
public final class DigestAuthenticator {

    private final String username;
    private final String password;
    private final String realm;
    private final String nonce;

    public DigestAuthenticator(String username, String password, String realm, SecureRandom random) {
        this(username, password, realm, randomNonce(random));
    }

    /** With a given nonce: the published examples of RFC 2617 and RFC 7616 fix theirs. */
    DigestAuthenticator(String username, String password, String realm, String nonce) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
        this.realm = Objects.requireNonNull(realm, "realm");
        this.nonce = Objects.requireNonNull(nonce, "nonce");
    }

    private static String randomNonce(SecureRandom random) {
        byte[] n = new byte[16];
        random.nextBytes(n);
        return HexFormat.of().formatHex(n);
    }

    /** The value of the {@code WWW-Authenticate} header of a 401 answer. */
    public String challenge() {
        return "Digest realm=\"" + realm + "\", nonce=\"" + nonce + "\", algorithm=MD5";
    }

    public String nonce() {
        return nonce;
    }

    /** True when the {@code Authorization} header value proves the credentials for this method. */
    public boolean verify(String method, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Digest ", 0, 7)) {
            return false;
        }
        Map<String, String> p = parseParameters(authorization.substring(7));
        String uri = p.get("uri");
        String response = p.get("response");
        if (uri == null || response == null || !username.equals(p.get("username"))
                || !realm.equals(p.get("realm")) || !nonce.equals(p.get("nonce"))) {
            return false;
        }
        String expected = response(method, uri, p.get("qop"), p.get("nc"), p.get("cnonce"));
        return expected != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /** The expected {@code response} parameter, or null for an unsupported qop. */
    String response(String method, String uri, String qop, String nc, String cnonce) {
        String ha1 = md5Hex(username + ":" + realm + ":" + password);
        String ha2 = md5Hex(method + ":" + uri);
        if (qop == null) {
            return md5Hex(ha1 + ":" + nonce + ":" + ha2);
        }
        if (!qop.equals("auth") || nc == null || cnonce == null) {
            return null;
        }
        return md5Hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    /** Parses {@code key=value, key="quoted value", ...} (values may contain commas inside quotes). */
    static Map<String, String> parseParameters(String s) {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = s.substring(i, eq).trim().toLowerCase(java.util.Locale.ROOT);
            i = eq + 1;
            String value;
            if (i < n && s.charAt(i) == '"') {
                int close = s.indexOf('"', i + 1);
                if (close < 0) {
                    close = n;
                }
                value = s.substring(i + 1, close);
                i = close + 1;
            } else {
                int comma = s.indexOf(',', i);
                if (comma < 0) {
                    comma = n;
                }
                value = s.substring(i, comma).trim();
                i = comma;
            }
            out.put(key, value);
        }
        return out;
    }

    static String md5Hex(String s) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a mandatory JDK algorithm", e);
        }
    }
}
