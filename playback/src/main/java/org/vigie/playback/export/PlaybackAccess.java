package org.vigie.server.playback;

import java.util.Map;
import java.util.Optional;
import org.vigie.server.auth.Principal;
import org.vigie.server.config.CameraConfig;

/**
 * What the export endpoint needs of the server's security: bearer authentication, the camera's configuration (for
 * rights and the evidence manifest) and the audit trail. Blocking: called from export threads only.
 */
public interface PlaybackAccess {

    /** The caller of an {@code Authorization} header, or empty. */
    Optional<Principal> authenticate(String authorization) throws Exception;

    Optional<CameraConfig> camera(String id);

    /** An export handed over, with its mandatory reason. */
    void auditExport(Principal user, String cameraId, String reason, Map<String, Object> detail) throws Exception;

    /** A refused request (no right on the camera). */
    void auditDenied(Principal user, String cameraId, Map<String, Object> detail) throws Exception;
}
