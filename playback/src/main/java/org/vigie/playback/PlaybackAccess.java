package org.vigie.playback;

import java.util.Map;
import java.util.Optional;

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
}
