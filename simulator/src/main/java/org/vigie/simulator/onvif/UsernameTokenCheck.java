package org.vigie.simulator.onvif;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * Verifies a WS-Security UsernameToken the way a camera does: user name, password digest
 * {@code Base64(SHA-1(nonce + created + password))}, and {@code Created} within {@code tolerance} of the
 * <em>camera's</em> clock (which a simulator may skew to catch clients that stamp with their own clock).
 */
final class UsernameTokenCheck {

    private final SimulatorCredentials credentials;
    private final Duration tolerance;

    UsernameTokenCheck(SimulatorCredentials credentials, Duration tolerance) {
        this.credentials = credentials;
        this.tolerance = tolerance;
    }

    /** True when the envelope's header carries a valid token at camera time {@code cameraNow}. */
    boolean accepts(Element envelope, Instant cameraNow) {
        Optional<Element> token = SimulatorXml.descendant(envelope, "UsernameToken");
        if (token.isEmpty()) {
            return false;
        }
        String user = SimulatorXml.text(token.get(), "Username");
        String password = SimulatorXml.text(token.get(), "Password");
        String nonce = SimulatorXml.text(token.get(), "Nonce");
        String created = SimulatorXml.text(token.get(), "Created");
        if (!user.equals(credentials.username()) || created.isEmpty()) {
            return false;
        }
        try {
            Instant stamp = OffsetDateTime.parse(created).toInstant();
            if (Duration.between(stamp, cameraNow).abs().compareTo(tolerance) > 0) {
                return false;
            }
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(Base64.getDecoder().decode(nonce));
            sha1.update(created.getBytes(StandardCharsets.UTF_8));
            sha1.update(credentials.password().getBytes(StandardCharsets.UTF_8));
            byte[] expected = sha1.digest();
            return MessageDigest.isEqual(expected, Base64.getDecoder().decode(password));
        } catch (Exception e) {
            return false;
        }
    }
}
