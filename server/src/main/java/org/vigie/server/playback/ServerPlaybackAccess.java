package org.vigie.server.playback;

import java.util.Map;
import java.util.Optional;
import org.vigie.base.privacy.MaskSet;
import org.vigie.playback.CameraInfo;
import org.vigie.playback.MaskLift;
import org.vigie.playback.PlaybackAccess;
import org.vigie.playback.Right;
import org.vigie.playback.Viewer;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.AuthenticationException;
import org.vigie.server.auth.Authenticator;
import org.vigie.server.auth.Permission;
import org.vigie.server.auth.Principal;
import org.vigie.server.camera.Camera;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.privacy.MaskDecision;

/**
 * The server's {@link PlaybackAccess}, the one access port of the WebSocket, the RTSP re-stream, export and
 * snapshots: bearer tokens and API keys through the {@link Authenticator}; RTSP passwords through
 * {@link Authenticator#login} (so RTSP obeys the API's lock-out and equal-cost rules), whose token is revoked at
 * once; rights are the API's {@link Permission#LIVE_VIEW}, {@link Permission#ARCHIVE_VIEW} and
 * {@link Permission#EXPORT} with the camera's grant, read from the {@link CameraRegistry} as it is now; views,
 * exports and refusals go to the {@link AuditLog} ({@link AuditAction#LIVE_VIEW}, {@link AuditAction#ARCHIVE_VIEW},
 * {@link AuditAction#EXPORT}, {@link AuditAction#ACCESS_DENIED}); the privacy masks in force are the
 * {@link MaskDecision}'s. Thread-safe; blocking.
 */
public final class ServerPlaybackAccess implements PlaybackAccess {

    private final Authenticator authenticator;
    private final AuditLog audit;
    private final CameraRegistry cameras;
    private final MaskDecision masks;
    /** In a cluster, verifies node-to-node calls (issue 13); null on a single node. */
    private final org.vigie.server.cluster.NodeCalls nodeCalls;

    public ServerPlaybackAccess(Authenticator authenticator, AuditLog audit, CameraRegistry cameras,
                                MaskDecision masks) {
        this(authenticator, audit, cameras, masks, null);
    }

    /**
     * @param nodeCalls in a cluster, the verifier of node-to-node calls: a relayed viewer's views and exports are
     *                  audited by the node the user asked, so not here; null on a single node
     */
    public ServerPlaybackAccess(Authenticator authenticator, AuditLog audit, CameraRegistry cameras,
                                MaskDecision masks, org.vigie.server.cluster.NodeCalls nodeCalls) {
        this.nodeCalls = nodeCalls;
        this.authenticator = authenticator;
        this.audit = audit;
        this.cameras = cameras;
        this.masks = masks;
    }

    /**
     * A server user seen by playback; {@code relayed}: asked through another node (a node-to-node call), which
     * audits the view or export itself.
     */
    record User(Principal principal, boolean relayed) implements Viewer {
        User(Principal principal) {
            this(principal, false);
        }

        @Override
        public String username() {
            return principal.username();
        }
    }

    @Override
    public Optional<Viewer> authenticate(String authorization) throws Exception {
        if (org.vigie.server.cluster.NodeCredentials.isNodeCall(authorization)) {
            // only the re-check of a relayed WebSocket connection, admitted with a fresh header at its upgrade
            if (nodeCalls == null) return Optional.empty();
            var c = nodeCalls.credentials();
            var caller = c.verifyAdmitted(authorization, "GET", org.vigie.server.cluster.NodeClient.STREAM_PATH)
                    .or(() -> c.verifyAdmitted(authorization, "GET",
                            org.vigie.playback.ws.StreamEndpoint.CLIENT_DRAWS_PATH));
            if (caller.isEmpty()) return Optional.empty();
            return authenticator.current(caller.get().user()).map(p -> new User(p, true));
        }
        return authenticator.authenticate(authorization).map(User::new);
    }

    @Override
    public Optional<Viewer> authenticate(String authorization, String method, String path) throws Exception {
        if (org.vigie.server.cluster.NodeCredentials.isNodeCall(authorization)) {
            return nodeCalls == null ? Optional.empty()
                    : nodeCalls.actingUser(authorization, method, path, true).map(p -> new User(p, true));
        }
        return authenticate(authorization);
    }

    @Override
    public Optional<Viewer> login(String username, String password, String remote) throws Exception {
        try {
            Authenticator.Login login = authenticator.login(username, password,
                    org.vigie.server.auth.LoginThrottle.sourceOf(remote));
            authenticator.logout("Bearer " + login.token());
            return Optional.of(new User(login.principal()));
        } catch (AuthenticationException e) {
            audit.append(username, AuditAction.LOGIN_FAILED, null, Map.of("remote", String.valueOf(remote),
                    "protocol", "rtsp", "reason", e.reason().name().toLowerCase(java.util.Locale.ROOT)));
            return Optional.empty();
        }
    }

    @Override
    public Optional<Viewer> current(String username) throws Exception {
        return authenticator.current(username).map(User::new);
    }

    @Override
    public Optional<CameraInfo> camera(String cameraId) {
        return cameras.get(cameraId).map(Camera::config).map(c -> new CameraInfo(c.id(), c.name(), c.group()));
    }

    @Override
    public boolean may(Viewer viewer, Right right, String cameraId) {
        Optional<CameraConfig> c = cameras.get(cameraId).map(Camera::config);
        return c.isPresent() && principal(viewer).mayAccess(permission(right), c.get());
    }

    @Override
    public void auditView(Viewer viewer, String cameraId, boolean archive, Map<String, Object> detail)
            throws Exception {
        if (isRelayed(viewer)) return; // audited by the node the user asked
        audit.append(viewer.username(), archive ? AuditAction.ARCHIVE_VIEW : AuditAction.LIVE_VIEW, cameraId, detail);
    }

    @Override
    public void auditExport(Viewer viewer, String cameraId, String reason, Map<String, Object> detail)
            throws Exception {
        if (isRelayed(viewer)) return; // audited by the node the user asked
        audit.export(viewer.username(), cameraId, reason, detail);
    }

    @Override
    public void auditDenied(Viewer viewer, String cameraId, Map<String, Object> detail) throws Exception {
        if (isRelayed(viewer)) return; // the node the user asked checked (and audits) the same right first
        audit.append(viewer.username(), AuditAction.ACCESS_DENIED, cameraId, detail);
    }

    @Override
    public MaskSet masks(Viewer viewer, String cameraId, MaskLift lift, Map<String, Object> detail)
            throws Exception {
        CameraConfig c = cameras.get(cameraId).map(Camera::config)
                .orElseThrow(() -> new java.util.NoSuchElementException("no camera '" + cameraId + "'"));
        return masks.inForce(principal(viewer), c, lift, detail);
    }

    static Permission permission(Right right) {
        return switch (right) {
            case LIVE_VIEW -> Permission.LIVE_VIEW;
            case ARCHIVE_VIEW -> Permission.ARCHIVE_VIEW;
            case EXPORT -> Permission.EXPORT;
        };
    }

    @Override
    public boolean relayed(Viewer viewer) {
        return isRelayed(viewer);
    }

    private static boolean isRelayed(Viewer viewer) {
        return viewer instanceof User u && u.relayed();
    }

    private static Principal principal(Viewer viewer) {
        if (viewer instanceof User u) return u.principal();
        throw new IllegalArgumentException("not a viewer of this server: " + viewer.username());
    }
}
