package org.vigie.rtsp.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The Digest computation of RFC 2617 section 3.2.2, shared by the client and the server side: algorithm {@code MD5}
 * (the default) or {@code MD5-sess}, with {@code qop=auth} or without qop (RFC 2069 compatibility, which older
 * cameras still use). Stateless.
 */
final class Digest {

    private Digest() {
    }

    /** True for the algorithms this library computes ({@code null} means MD5). */
    static boolean supportsAlgorithm(String algorithm) {
        return algorithm == null || algorithm.equalsIgnoreCase("MD5") || algorithm.equalsIgnoreCase("MD5-sess");
    }

    /**
     * The {@code response} value.
     *
     * @param qop {@code auth} or null; with {@code auth}, {@code nc} and {@code cnonce} are required
     */
    static String response(String algorithm, Credentials credentials, String realm, String nonce, String method,
                           String uri, String qop, String nc, String cnonce) {
        String ha1 = md5Hex(credentials.user() + ":" + realm + ":" + credentials.password());
        if (algorithm != null && algorithm.toLowerCase(Locale.ROOT).equals("md5-sess")) {
            ha1 = md5Hex(ha1 + ":" + nonce + ":" + cnonce);
        }
        String ha2 = md5Hex(method + ":" + uri);
        if (qop == null) {
            return md5Hex(ha1 + ":" + nonce + ":" + ha2);
        }
        return md5Hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    static String md5Hex(String s) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a mandatory JDK algorithm", e);
        }
    }

    /** Compares two hex strings in constant time, case-insensitively. */
    static boolean hexEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
