package org.vigie.server.rtsp;

import java.util.Map;
import java.util.Optional;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.AuthenticationException;
import org.vigie.server.auth.Authenticator;
import org.vigie.server.auth.Permission;
import org.vigie.server.auth.Principal;
import org.vigie.server.camera.Camera;
import org.vigie.server.camera.CameraRegistry;

/**
 * {@link RtspAccess} over the server's users: a password is checked with {@link Authenticator#login} (so RTSP
 * obeys the same lock-out and equal-cost rules as the API) and the token that login creates is revoked at once;
 * rights are the API's {@link Permission#LIVE_VIEW} and {@link Permission#ARCHIVE_VIEW} with the camera grant;
 * views go to the {@link AuditLog} as {@link AuditAction#LIVE_VIEW} / {@link AuditAction#ARCHIVE_VIEW}.
 * Thread-safe; blocking.
 */
public final class ServerRtspAccess implements RtspAccess {

    private final Authenticator authenticator;
    private final AuditLog audit;
    private final CameraRegistry cameras;

    public ServerRtspAccess(Authenticator authenticator, AuditLog audit, CameraRegistry cameras) {
        this.authenticator = authenticator;
        this.audit = audit;
        this.cameras = cameras;
    }

    @Override
    public Optional<Principal> authenticate(String username, String password, String remote) throws Exception {
        try {
            Authenticator.Login login = authenticator.login(username, password,
                    org.vigie.server.auth.LoginThrottle.sourceOf(remote));
            authenticator.logout("Bearer " + login.token());
            return Optional.of(login.principal());
        } catch (AuthenticationException e) {
            audit.append(username, AuditAction.LOGIN_FAILED, null, Map.of("remote", String.valueOf(remote),
                    "protocol", "rtsp", "reason", e.reason().name().toLowerCase(java.util.Locale.ROOT)));
            return Optional.empty();
        }
    }

    @Override
    public Optional<Principal> current(String username) throws Exception {
        return authenticator.current(username);
    }

    @Override
    public boolean mayView(Principal user, String cameraId, boolean archive) {
        Optional<Camera> c = cameras.get(cameraId);
        return c.isPresent() && user.mayAccess(archive ? Permission.ARCHIVE_VIEW : Permission.LIVE_VIEW,
                c.get().config());
    }

    @Override
    public void auditView(Principal user, String cameraId, boolean archive, Map<String, Object> detail)
            throws Exception {
        audit.append(user.username(), archive ? AuditAction.ARCHIVE_VIEW : AuditAction.LIVE_VIEW, cameraId, detail);
    }
}
