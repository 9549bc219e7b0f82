package org.vigie.server.auth;

import java.util.Set;
import org.vigie.server.config.CameraConfig;

/**
 * An authenticated user: name, role and camera grants (by camera id and by camera group). Immutable.
 *
 * <p>Invariant: a non-administrator may use a camera-scoped permission on a camera only if the camera's id or
 * group is granted ({@link #mayAccess}).
 */
public record Principal(String username, Role role, Set<String> cameras, Set<String> groups, Set<String> unmask,
                        Set<String> unmaskGroups) {

    public Principal {
        cameras = Set.copyOf(cameras);
        groups = Set.copyOf(groups);
        unmask = Set.copyOf(unmask);
        unmaskGroups = Set.copyOf(unmaskGroups);
    }

    /** A user without any {@code unmask} grant. */
    public Principal(String username, Role role, Set<String> cameras, Set<String> groups) {
        this(username, role, cameras, groups, Set.of(), Set.of());
    }

    /** A user with an {@code unmask} grant by camera id only. */
    public Principal(String username, Role role, Set<String> cameras, Set<String> groups, Set<String> unmask) {
        this(username, role, cameras, groups, unmask, Set.of());
    }

    public boolean has(Permission p) {
        return role.permissions().contains(p);
    }

    /** Whether the camera is granted to this user (always for administrators). */
    public boolean sees(CameraConfig camera) {
        return role == Role.ADMINISTRATOR || cameras.contains(camera.id())
                || (camera.group() != null && groups.contains(camera.group()));
    }

    public boolean mayAccess(Permission p, CameraConfig camera) {
        if (p == Permission.UNMASK) return mayUnmask(camera);
        return has(p) && sees(camera);
    }

    /**
     * Whether this user may lift the camera's liftable privacy masks (with a reason): administrators on every
     * camera; others on a camera they see whose id is in their {@code unmask} grant or whose group is in their
     * {@code unmaskGroups} grant (issue 14: a per-camera right granted like the view rights, by camera id or by
     * camera group, never by the role alone).
     */
    public boolean mayUnmask(CameraConfig camera) {
        return role == Role.ADMINISTRATOR || (sees(camera) && (unmask.contains(camera.id())
                || (camera.group() != null && unmaskGroups.contains(camera.group()))));
    }
}
