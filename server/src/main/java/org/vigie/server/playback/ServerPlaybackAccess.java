package org.vigie.server.playback;

import java.util.Map;
import java.util.Optional;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Authenticator;
import org.vigie.server.auth.Principal;
import org.vigie.server.camera.Camera;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.config.CameraConfig;

/** {@link PlaybackAccess} over the server's {@link Authenticator}, {@link AuditLog} and {@link CameraRegistry}. */
public final class ServerPlaybackAccess implements PlaybackAccess {

    private final Authenticator authenticator;
    private final AuditLog audit;
    private final CameraRegistry cameras;

    public ServerPlaybackAccess(Authenticator authenticator, AuditLog audit, CameraRegistry cameras) {
        this.authenticator = authenticator;
        this.audit = audit;
        this.cameras = cameras;
    }

    @Override
    public Optional<Principal> authenticate(String authorization) throws Exception {
        return authenticator.authenticate(authorization);
    }

    @Override
    public Optional<CameraConfig> camera(String id) {
        return cameras.get(id).map(Camera::config);
    }

    @Override
    public void auditExport(Principal user, String cameraId, String reason, Map<String, Object> detail)
            throws Exception {
        audit.export(user.username(), cameraId, reason, detail);
    }

    @Override
    public void auditDenied(Principal user, String cameraId, Map<String, Object> detail) throws Exception {
        audit.append(user.username(), AuditAction.ACCESS_DENIED, cameraId, detail);
    }
}
