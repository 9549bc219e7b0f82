package org.vigie.server.auth;

import java.util.Set;

/**
 * A stored user: identity, role, grants, password hash and lock-out state. Immutable snapshot of a row.
 *
 * @param failures     failed logins counted since {@code firstFailure} (epoch ms)
 * @param lockedUntil  epoch ms until which every login is refused (0: not locked)
 */
public record UserRecord(String username, Role role, Set<String> cameras, Set<String> groups, String passwordHash,
                         int failures, long firstFailure, long lockedUntil) {

    public UserRecord {
        cameras = Set.copyOf(cameras);
        groups = Set.copyOf(groups);
    }

    public Principal principal() {
        return new Principal(username, role, cameras, groups);
    }

    @Override
    public String toString() {
        return "UserRecord[" + username + ", " + role + ", cameras=" + cameras + ", groups=" + groups + "]";
    }
}
