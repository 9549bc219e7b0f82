package org.vigie.server.retention;

import java.util.Optional;
import org.vigie.server.auth.Permission;
import org.vigie.server.auth.Principal;
import org.vigie.server.auth.Role;
import org.vigie.server.camera.Camera;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.http.ApiException;

/**
 * The camera check of the retention routes. Unlike live cameras, holds and register entries outlive their camera
 * (a deleted camera's footage stays held, its destructions stay in the register): administrators see those of any
 * camera id, other users only those of configured cameras they are granted.
 *
 * <p>Invariant: {@link #permits} is true only if the principal holds {@code permission} and, unless an
 * administrator, a grant on the configured camera. Stateless; thread-safe.
 */
final class CameraScope {

    private final CameraRegistry cameras;

    CameraScope(CameraRegistry cameras) {
        this.cameras = cameras;
    }

    boolean permits(Principal p, Permission permission, String cameraId) {
        if (!p.has(permission)) {
            return false;
        }
        if (p.role() == Role.ADMINISTRATOR) {
            return true;
        }
        Optional<Camera> c = cameras.get(cameraId);
        return c.isPresent() && p.mayAccess(permission, c.get().config());
    }

    /**
     * 404 for a camera the caller cannot know of (not configured, not an administrator), 403 (audited by the
     * dispatcher) for a configured camera without a grant.
     */
    void require(Principal p, Permission permission, String cameraId) throws ApiException {
        if (permits(p, permission, cameraId)) {
            return;
        }
        if (cameras.get(cameraId).isEmpty()) {
            throw ApiException.notFound("no camera '" + cameraId + "'");
        }
        throw ApiException.forbidden("no right on camera '" + cameraId + "'");
    }

    boolean configured(String cameraId) {
        return cameras.get(cameraId).isPresent();
    }
}
