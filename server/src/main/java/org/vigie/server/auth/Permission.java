package org.vigie.server.auth;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a route needs. Camera-scoped permissions ({@link #cameraScoped()}) also need a grant on the camera itself
 * (by id or by group), except for administrators who see every camera.
 */
public enum Permission {
    /** Read cameras, their state and statistics. */
    CAMERA_READ,
    /** Watch live video. */
    LIVE_VIEW,
    /** Watch recordings. */
    ARCHIVE_VIEW,
    /** Export recordings (with a mandatory reason). */
    EXPORT,
    /** Put recordings under legal hold. */
    HOLD,
    /** Move PTZ cameras. */
    PTZ,
    /** Search camera events. */
    EVENTS_READ,
    /** Create and delete bookmarks. */
    BOOKMARKS_WRITE,
    /** Save wall layouts of one's own. */
    LAYOUTS,
    /** Share wall layouts with a group (a district) one belongs to. */
    LAYOUT_SHARE,
    /** Create, change and delete cameras, enable and disable recording. */
    CAMERA_ADMIN,
    /** Discover cameras on the network. */
    DISCOVERY,
    /** Manage users, their rights and API keys. */
    USERS_ADMIN,
    /** Read and verify the audit trail. */
    AUDIT_READ,
    /**
     * Lift a camera's liftable privacy masks, with a reason (audited); never its permanent masks. Besides the role
     * (only administrators hold it for every camera), a user holds it on the cameras of their {@code unmask} grant
     * (camera ids) and of their {@code unmaskGroups} grant (camera groups) ({@link Principal#mayUnmask}).
     */
    UNMASK,
    /** Read the register of recordings (destructions, exports, transmissions) of granted cameras. */
    REGISTER_READ,
    /** Read the Prometheus metrics and the OpenAPI document. */
    SYSTEM_READ,
    /** Any authenticated user (log out, read oneself). */
    AUTHENTICATED;

    /** The permissions that also need a grant on the camera. */
    private static final Set<Permission> CAMERA_SCOPED = EnumSet.of(
            CAMERA_READ, LIVE_VIEW, ARCHIVE_VIEW, EXPORT, HOLD, PTZ, EVENTS_READ, BOOKMARKS_WRITE, UNMASK, REGISTER_READ);

    public boolean cameraScoped() {
        return CAMERA_SCOPED.contains(this);
    }
}
