package org.vigie.playback;

import java.util.Map;
import java.util.Optional;
import org.vigie.base.privacy.MaskSet;

/**
 * The one port through which playback (WebSocket streaming, the RTSP re-stream, export, snapshots) asks the server
 * who is calling, what they may see now, and writes what they saw to the audit trail. The server implements it
 * over its users, rights and hash-chained audit log; playback never sees those.
 *
 * <p>Every method may block (database, Argon2): playback calls them on its worker threads, never on an event loop.
 * Implementations are thread-safe.
 */
public interface PlaybackAccess {

    /** The viewer of an {@code Authorization} header value ({@code Bearer <token or API key>}), if valid. */
    Optional<Viewer> authenticate(String authorization) throws Exception;

    /**
     * The viewer of an {@code Authorization} header value sent with {@code method path}: as
     * {@link #authenticate(String)}, and in a cluster also a node-to-node credential, which is bound to the method
     * and path it was made for (issue 13). Playback's entry points (the WebSocket upgrade, export) call this one.
     */
    default Optional<Viewer> authenticate(String authorization, String method, String path) throws Exception {
        return authenticate(authorization);
    }

    /**
     * The viewer of a user name and password (RTSP Basic), empty when wrong, unknown or locked out, or when
     * {@code remote} made too many failed logins lately; every failure is written to the audit trail.
     *
     * @param remote the client's socket address as printed
     */
    Optional<Viewer> login(String username, String password, String remote) throws Exception;

    /**
     * The user as stored now (current role and grants), empty if the account was deleted or disabled: the periodic
     * re-check of a connection that authenticated earlier.
     */
    Optional<Viewer> current(String username) throws Exception;

    /** The camera, empty when there is none of that id. */
    Optional<CameraInfo> camera(String cameraId);

    /** Whether {@code viewer} has {@code right} on the camera now (false for an unknown camera). */
    boolean may(Viewer viewer, Right right, String cameraId);

    /** Writes a live or archive view (WebSocket channel, RTSP PLAY, snapshot) to the audit trail. */
    void auditView(Viewer viewer, String cameraId, boolean archive, Map<String, Object> detail) throws Exception;

    /** Writes an export to the audit trail with its mandatory {@code reason}. */
    void auditExport(Viewer viewer, String cameraId, String reason, Map<String, Object> detail) throws Exception;

    /** Writes a refused request (no right on the camera) to the audit trail. */
    void auditDenied(Viewer viewer, String cameraId, Map<String, Object> detail) throws Exception;

    /**
     * The privacy masks in force for {@code viewer} on the camera now, to burn in or to send to a client that draws
     * them: the camera's current {@link MaskSet} (read from the store, not a cache: fail closed, an error throws),
     * or, when {@code lift} asks to lift the liftable masks, the viewer has the camera's {@code unmask} right and
     * gave a non-empty reason, only its permanent masks, the lift audited (user, camera, reason, the ids lifted,
     * and {@code detail}: the path, e.g. {@code via}). Permanent masks are never lifted, for anyone.
     *
     * @param detail what the audit record of a lift or a refused lift adds (the path: {@code via}, times...)
     * @throws MaskRefusedException a lift without the right or without a reason (the refusal audited)
     */
    MaskSet masks(Viewer viewer, String cameraId, MaskLift lift, Map<String, Object> detail) throws Exception;

    /**
     * In a cluster (issue 13): true when {@code viewer} asks through another node (a node-to-node call), which
     * audits and registers what it asked for.
     */
    default boolean relayed(Viewer viewer) {
        return false;
    }
}
