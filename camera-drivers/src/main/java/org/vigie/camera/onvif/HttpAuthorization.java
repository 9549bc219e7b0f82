package org.vigie.camera.onvif;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vigie.camera.Credentials;

/**
 * Answers an HTTP {@code WWW-Authenticate} challenge (RFC 7616 Digest with MD5 and {@code qop=auth}, or RFC 7617
 * Basic) with an {@code Authorization} header value. Thread-safe. Many cameras protect their SOAP endpoints and snapshot
 * URIs with HTTP Digest in addition to, or instead of, WS-UsernameToken.
 */
public final class HttpAuthorization {

    private static final Pattern PARAM = Pattern.compile("(\\w+)\\s*=\\s*(?:\"([^\"]*)\"|([^,\\s]+))");

    private final SecureRandom random;
    /** Nonce count: only increases, so a server that checks nc per nonce never sees a replay. */
    private final java.util.concurrent.atomic.AtomicLong nonceCount = new java.util.concurrent.atomic.AtomicLong();

    public HttpAuthorization(SecureRandom random) {
        this.random = random;
    }

    /** The header answering the strongest supported challenge, or empty when none is supported. */
    public Optional<String> answer(java.util.List<String> challenges, Credentials credentials, String method,
                                   String requestTarget) {
        return answer(challenges, credentials, method, requestTarget, true);
    }

    /**
     * The header answering the strongest supported challenge, or empty when none is supported.
     *
     * @param basicAllowed whether Basic may be answered: it hands the password itself to whoever asks, so only
     *                     over TLS or where the camera's configuration allows it explicitly
     */
    public Optional<String> answer(java.util.List<String> challenges, Credentials credentials, String method,
                                   String requestTarget, boolean basicAllowed) {
        for (String c : challenges) {
            if (c.regionMatches(true, 0, "Digest", 0, 6)) {
                return Optional.of(digest(c.substring(6), credentials, method, requestTarget));
            }
        }
        for (String c : challenges) {
            if (basicAllowed && c.regionMatches(true, 0, "Basic", 0, 5)) {
                String token = credentials.username() + ":" + credentials.password();
                return Optional.of("Basic " + java.util.Base64.getEncoder()
                        .encodeToString(token.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return Optional.empty();
    }

    private String digest(String params, Credentials credentials, String method, String uri) {
        Map<String, String> p = new HashMap<>();
        Matcher m = PARAM.matcher(params);
        while (m.find()) {
            p.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2) != null ? m.group(2) : m.group(3));
        }
        String realm = p.getOrDefault("realm", "");
        String nonce = p.getOrDefault("nonce", "");
        String qop = p.get("qop");
        String ha1 = md5(credentials.username() + ":" + realm + ":" + credentials.password());
        String ha2 = md5(method + ":" + uri);
        StringBuilder h = new StringBuilder("Digest username=\"").append(credentials.username())
                .append("\", realm=\"").append(realm).append("\", nonce=\"").append(nonce)
                .append("\", uri=\"").append(uri).append("\", algorithm=MD5");
        if (qop != null && qop.toLowerCase(Locale.ROOT).contains("auth")) {
            byte[] c = new byte[8];
            random.nextBytes(c);
            String cnonce = HexFormat.of().formatHex(c);
            String nc = String.format("%08x", nonceCount.incrementAndGet() & 0xFFFF_FFFFL);
            String response = md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
            h.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce)
                    .append("\", response=\"").append(response).append('"');
        } else {
            h.append(", response=\"").append(md5(ha1 + ":" + nonce + ":" + ha2)).append('"');
        }
        if (p.containsKey("opaque")) {
            h.append(", opaque=\"").append(p.get("opaque")).append('"');
        }
        return h.toString();
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
