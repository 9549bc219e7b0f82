package org.vigie.rtsp.auth;

import java.util.Objects;

/**
 * A user name and password for a camera or for the re-stream. {@link #toString()} never shows the password.
 */
public record Credentials(String user, String password) {

    public Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "Credentials[" + user + ", password=***]";
    }
}
