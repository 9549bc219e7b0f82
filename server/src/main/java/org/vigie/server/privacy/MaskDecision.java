package org.vigie.server.privacy;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vigie.base.privacy.MaskSet;
import org.vigie.base.privacy.PrivacyMask;
import org.vigie.playback.MaskLift;
import org.vigie.playback.MaskRefusedException;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Principal;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.store.MaskStore;

/**
 * Which privacy masks apply to a user on a camera (issue 14, CSI L251-3), the one place that decides it for every
 * path out of the server (WebSocket, export, snapshot, RTSP re-stream):
 * <ul>
 *   <li>by default, every mask of the camera's current version, read from the store (fail closed: a store error
 *       throws, and the caller shows nothing);</li>
 *   <li>with a lift request ({@link MaskLift}: {@code unmask=liftable}) by a user with the camera's {@code unmask}
 *       right ({@link Principal#mayUnmask}) and a non-empty reason: only the permanent masks, the lift audited
 *       ({@link AuditAction#MASKS_LIFT}: reason, version, the ids lifted, the path);</li>
 *   <li>a lift request without the right or without a reason: refused with a 403 ({@link MaskRefusedException}),
 *       the refusal audited ({@link AuditAction#ACCESS_DENIED}); nothing is shown rather than silently masked, so
 *       that the user knows the lift did not happen;</li>
 *   <li>permanent masks are never lifted, for anyone, administrators included: there is no request for it.</li>
 * </ul>
 * Blocking (database, audit): worker threads only. Thread-safe.
 */
public final class MaskDecision {

    private final MaskStore store;
    private final AuditLog audit;

    public MaskDecision(MaskStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    /**
     * The masks in force for {@code user} on {@code camera}.
     *
     * @param detail what the audit record of a lift (or a refused one) adds: the path ({@code via}), times...
     */
    public MaskSet inForce(Principal user, CameraConfig camera, MaskLift lift, Map<String, Object> detail)
            throws MaskRefusedException, SQLException {
        MaskSet all = store.current(camera.id());
        if (!lift.liftable()) {
            return all;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("unmask", MaskLift.LIFTABLE);
        d.put("version", all.version());
        d.putAll(detail);
        if (!user.mayUnmask(camera)) {
            d.put("reason", "lacks unmask on the camera");
            audit.append(user.username(), AuditAction.ACCESS_DENIED, camera.id(), d);
            throw new MaskRefusedException("no unmask right on camera '" + camera.id() + "': its liftable privacy "
                    + "masks stay");
        }
        if (lift.reason() == null || lift.reason().isBlank()) {
            d.put("reason", "lift without a reason");
            audit.append(user.username(), AuditAction.ACCESS_DENIED, camera.id(), d);
            throw new MaskRefusedException("lifting the privacy masks of camera '" + camera.id() + "' needs a "
                    + "'reason'");
        }
        MaskSet kept = all.inForce(true);
        List<String> lifted = all.masks().stream().filter(m -> m.kind() == PrivacyMask.Kind.LIFTABLE)
                .map(PrivacyMask::id).toList();
        d.put("reason", lift.reason());
        d.put("lifted", lifted);
        d.put("kept", kept.masks().stream().map(PrivacyMask::id).toList());
        audit.append(user.username(), AuditAction.MASKS_LIFT, camera.id(), d);
        return kept;
    }
}
