package org.vigie.camera.onvif;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.vigie.camera.Credentials;

/**
 * Builds the WS-Security {@code UsernameToken} header with a password digest, as ONVIF requires:
 * {@code Base64(SHA-1(nonce + created + password))}. {@code created} must be the <em>camera's</em> time, so the
 * caller passes the local time already corrected by the camera's clock offset.
 */
public final class WsUsernameToken {

    static final String WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    static final String WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    static final String DIGEST_TYPE =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
    static final String BASE64_TYPE =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

    private final SecureRandom random;

    public WsUsernameToken(SecureRandom random) {
        this.random = random;
    }

    /** The {@code wsse:Security} header element for these credentials at this (camera) time. */
    public String header(Credentials credentials, Instant cameraTime) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String created = cameraTime.truncatedTo(ChronoUnit.SECONDS).toString();
        String digest = digest(nonce, created, credentials.password());
        return "<wsse:Security xmlns:wsse=\"" + WSSE + "\" xmlns:wsu=\"" + WSU + "\">"
                + "<wsse:UsernameToken><wsse:Username>" + SecureXml.escape(credentials.username()) + "</wsse:Username>"
                + "<wsse:Password Type=\"" + DIGEST_TYPE + "\">" + digest + "</wsse:Password>"
                + "<wsse:Nonce EncodingType=\"" + BASE64_TYPE + "\">" + Base64.getEncoder().encodeToString(nonce)
                + "</wsse:Nonce><wsu:Created>" + created + "</wsu:Created></wsse:UsernameToken></wsse:Security>";
    }

    /** {@code Base64(SHA-1(nonce + created + password))}. */
    public static String digest(byte[] nonce, String created, String password) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(nonce);
            sha1.update(created.getBytes(StandardCharsets.UTF_8));
            sha1.update(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
