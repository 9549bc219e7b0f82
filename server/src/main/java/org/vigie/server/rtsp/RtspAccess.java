package org.vigie.server.rtsp;

import java.util.Map;
import java.util.Optional;
import org.vigie.server.auth.Principal;

/**
 * What the RTSP server needs of the server's security: checking a user's password, the per-camera right to watch
 * live or recorded video, and the audit trail of views. Implementations block (database, Argon2): the RTSP server
 * calls them from its worker threads only, never from an event loop.
 */
public interface RtspAccess {

    /**
     * The user of these credentials, or empty when they are wrong, unknown or the account is locked, or when
     * {@code remote} made too many failed logins lately; every failure is written to the audit trail.
     *
     * @param remote the client's socket address as printed
     */
    Optional<Principal> authenticate(String username, String password, String remote) throws Exception;

    /**
     * The user as stored now (current role and grants), empty if the account was deleted: the periodic re-check of
     * a connection that authenticated earlier.
     */
    Optional<Principal> current(String username) throws Exception;

    /** Whether {@code user} may watch {@code cameraId} live ({@code archive} false) or recorded (true). */
    boolean mayView(Principal user, String cameraId, boolean archive);

    /** Writes a live or archive view to the audit trail. */
    void auditView(Principal user, String cameraId, boolean archive, Map<String, Object> detail) throws Exception;
}
