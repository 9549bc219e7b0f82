package org.vigie.camera;

import java.util.Objects;

/**
 * A camera account. {@link #NONE} means the camera is queried anonymously. {@link #toString()} never shows the
 * password, so credentials may be logged safely.
 */
public record Credentials(String username, String password) {

    public static final Credentials NONE = new Credentials("", "");

    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    public boolean isPresent() {
        return !username.isEmpty();
    }

    @Override
    public String toString() {
        return isPresent() ? "Credentials[" + username + ", password=***]" : "Credentials[none]";
    }
}
