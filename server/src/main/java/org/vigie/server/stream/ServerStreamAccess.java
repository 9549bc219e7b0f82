package org.vigie.server.stream;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.vigie.media.StreamKey;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Authenticator;
import org.vigie.server.auth.Permission;
import org.vigie.server.auth.Principal;
import org.vigie.server.camera.Camera;
import org.vigie.server.camera.CameraRegistry;

/**
 * The server's {@link StreamAccess}: bearer tokens and API keys through the {@link Authenticator}, the
 * {@link Permission#LIVE_VIEW} or {@link Permission#ARCHIVE_VIEW} permission plus a grant on the camera, and one
 * audit record per opened channel ({@link AuditAction#LIVE_VIEW} / {@link AuditAction#ARCHIVE_VIEW}, with the
 * stream, the start time of an archive view, what started it (an open, a seek, the live edge) and the remote
 * address); a refusal is audited as {@link AuditAction#ACCESS_DENIED}. Thread-safe; blocking.
 */
public final class ServerStreamAccess implements StreamAccess {

    private final Authenticator authenticator;
    private final CameraRegistry cameras;
    private final AuditLog audit;

    public ServerStreamAccess(Authenticator authenticator, CameraRegistry cameras, AuditLog audit) {
        this.authenticator = authenticator;
        this.cameras = cameras;
        this.audit = audit;
    }

    @Override
    public Optional<Principal> authenticate(String authorization) throws Exception {
        return authenticator.authenticate(authorization);
    }

    @Override
    public void authorizeView(Principal p, StreamKey key, Instant from, String remote, ViewStart start)
            throws Exception {
        Permission needed = from == null ? Permission.LIVE_VIEW : Permission.ARCHIVE_VIEW;
        Optional<Camera> camera = cameras.get(key.cameraId());
        if (camera.isEmpty()) {
            throw new ChannelRefusedException(404, "no camera '" + key.cameraId() + "'");
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("stream", key.stream());
        detail.put("via", "websocket");
        detail.put("remote", remote);
        detail.put("start", start.auditName());
        if (from != null) detail.put("from", from.toString());
        if (!p.mayAccess(needed, camera.get().config())) {
            detail.put("reason", "lacks " + needed.name().toLowerCase() + " on the camera");
            audit.append(p.username(), AuditAction.ACCESS_DENIED, key.cameraId(), detail);
            throw new ChannelRefusedException(403, "no " + needed.name().toLowerCase() + " right on camera '"
                    + key.cameraId() + "'");
        }
        audit.append(p.username(), from == null ? AuditAction.LIVE_VIEW : AuditAction.ARCHIVE_VIEW, key.cameraId(),
                detail);
    }

    @Override
    public boolean mayView(Principal p, StreamKey key, boolean archive) {
        Optional<Camera> camera = cameras.get(key.cameraId());
        return camera.isPresent()
                && p.mayAccess(archive ? Permission.ARCHIVE_VIEW : Permission.LIVE_VIEW, camera.get().config());
    }
}
