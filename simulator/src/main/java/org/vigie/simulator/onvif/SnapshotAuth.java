package org.vigie.simulator.onvif;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP Digest (RFC 7616, MD5, {@code qop=auth}) protecting the snapshot URIs, as most cameras do. The nonce is
 * fixed per simulator run (a simulator does not need replay protection).
 */
final class SnapshotAuth {

    private static final Pattern PARAM = Pattern.compile("(\\w+)\\s*=\\s*(?:\"([^\"]*)\"|([^,\\s]+))");
    static final String REALM = "vigie-simulator";

    private final SimulatorCredentials credentials;
    private final String nonce;

    SnapshotAuth(SimulatorCredentials credentials) {
        this.credentials = credentials;
        byte[] n = new byte[16];
        new SecureRandom().nextBytes(n);
        this.nonce = HexFormat.of().formatHex(n);
    }

    String challenge() {
        return "Digest realm=\"" + REALM + "\", qop=\"auth\", nonce=\"" + nonce + "\", algorithm=MD5";
    }

    boolean accepts(String authorization, String method) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Digest ", 0, 7)) {
            return false;
        }
        Map<String, String> p = new HashMap<>();
        Matcher m = PARAM.matcher(authorization.substring(7));
        while (m.find()) {
            p.put(m.group(1).toLowerCase(), m.group(2) != null ? m.group(2) : m.group(3));
        }
        if (!credentials.username().equals(p.get("username")) || !nonce.equals(p.get("nonce"))) {
            return false;
        }
        String ha1 = md5(credentials.username() + ":" + REALM + ":" + credentials.password());
        String ha2 = md5(method + ":" + p.getOrDefault("uri", ""));
        String expected = "auth".equals(p.get("qop"))
                ? md5(ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2)
                : md5(ha1 + ":" + nonce + ":" + ha2);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                String.valueOf(p.get("response")).getBytes(StandardCharsets.US_ASCII));
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
