package org.vigie.server.auth;

import java.util.Set;

/**
 * A stored user: identity, role, grants, password hash and lock-out state. Immutable snapshot of a row.
 *
 * @param failures     failed logins counted since {@code firstFailure} (epoch ms)
 * @param lockedUntil  epoch ms until which every login is refused (0: not locked)
 * @param unmask       the cameras (ids) on which the user may lift liftable privacy masks (issue 14)
 * @param unmaskGroups the camera groups on whose cameras the user may lift liftable privacy masks (issue 14)
 */
public record UserRecord(String username, Role role, Set<String> cameras, Set<String> groups, String passwordHash,
                         int failures, long firstFailure, long lockedUntil, Set<String> unmask,
                         Set<String> unmaskGroups) {

    public UserRecord {
        cameras = Set.copyOf(cameras);
        groups = Set.copyOf(groups);
        unmask = Set.copyOf(unmask);
        unmaskGroups = Set.copyOf(unmaskGroups);
    }

    /** A user with an {@code unmask} grant by camera id only. */
    public UserRecord(String username, Role role, Set<String> cameras, Set<String> groups, String passwordHash,
                      int failures, long firstFailure, long lockedUntil, Set<String> unmask) {
        this(username, role, cameras, groups, passwordHash, failures, firstFailure, lockedUntil, unmask, Set.of());
    }

    /** A user without any {@code unmask} grant. */
    public UserRecord(String username, Role role, Set<String> cameras, Set<String> groups, String passwordHash,
                      int failures, long firstFailure, long lockedUntil) {
        this(username, role, cameras, groups, passwordHash, failures, firstFailure, lockedUntil, Set.of(), Set.of());
    }

    public Principal principal() {
        return new Principal(username, role, cameras, groups, unmask, unmaskGroups);
    }

    @Override
    public String toString() {
        return "UserRecord[" + username + ", " + role + ", cameras=" + cameras + ", groups=" + groups + ", unmask=" + unmask
                + ", unmaskGroups=" + unmaskGroups + "]";
    }
}
