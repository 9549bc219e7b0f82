package org.vigie.server.api;

import java.util.List;
import org.vigie.server.auth.Permission;
import org.vigie.server.auth.Principal;
import org.vigie.server.camera.Camera;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.http.ApiException;

/**
 * The camera grant check shared by every camera-scoped route: 404 for an unknown camera, 403 for a camera the
 * user has no grant on (the dispatcher audits the 403). Stateless; thread-safe.
 */
final class CameraAccess {

    private final CameraRegistry cameras;

    CameraAccess(CameraRegistry cameras) {
        this.cameras = cameras;
    }

    Camera require(Principal p, Permission permission, String id) throws ApiException {
        Camera c = cameras.get(id).orElseThrow(() -> ApiException.notFound("no camera '" + id + "'"));
        if (!p.mayAccess(permission, c.config())) {
            throw ApiException.forbidden("no right on camera '" + id + "'");
        }
        return c;
    }

    /** The ids of the cameras the user may use with {@code permission}. */
    List<String> visibleIds(Principal p, Permission permission) {
        return cameras.list().stream().filter(c -> p.mayAccess(permission, c.config())).map(Camera::id).toList();
    }

    CameraRegistry registry() {
        return cameras;
    }
}
