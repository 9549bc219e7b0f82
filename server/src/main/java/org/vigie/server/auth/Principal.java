package org.vigie.server.auth;

import java.util.Set;
import org.vigie.server.config.CameraConfig;

/**
 * An authenticated user: name, role and camera grants (by camera id and by camera group). Immutable.
 *
 * <p>Invariant: a non-administrator may use a camera-scoped permission on a camera only if the camera's id or
 * group is granted ({@link #mayAccess}).
 */
public record Principal(String username, Role role, Set<String> cameras, Set<String> groups) {

    public Principal {
        cameras = Set.copyOf(cameras);
        groups = Set.copyOf(groups);
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
        return has(p) && sees(camera);
    }
}
