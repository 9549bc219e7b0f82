package org.vigie.server.auth;

/**
 * What a route needs. Camera-scoped permissions ({@link #cameraScoped()}) also need a grant on the camera itself
 * (by id or by group), except for administrators who see every camera.
 */
public enum Permission {
    /** Read cameras, their state and statistics. */
    CAMERA_READ(true),
    /** Watch live video. */
    LIVE_VIEW(true),
    /** Watch recordings. */
    ARCHIVE_VIEW(true),
    /** Export recordings (with a mandatory reason). */
    EXPORT(true),
    /** Put recordings under legal hold. */
    HOLD(true),
    /** Move PTZ cameras. */
    PTZ(true),
    /** Search camera events. */
    EVENTS_READ(true),
    /** Create and delete bookmarks. */
    BOOKMARKS_WRITE(true),
    /** Save wall layouts of one's own. */
    LAYOUTS(false),
    /** Share wall layouts with a group (a district) one belongs to. */
    LAYOUT_SHARE(false),
    /** Create, change and delete cameras, enable and disable recording. */
    CAMERA_ADMIN(false),
    /** Discover cameras on the network. */
    DISCOVERY(false),
    /** Manage users, their rights and API keys. */
    USERS_ADMIN(false),
    /** Read and verify the audit trail. */
    AUDIT_READ(false),
    /**
     * Lift a camera's liftable privacy masks, with a reason (audited); never its permanent masks. Besides the role
     * (only administrators hold it for every camera), a user holds it on the cameras of their {@code unmask} grant
     * ({@link Principal#mayUnmask}).
     */
    UNMASK(true),
    /** Read the register of recordings (destructions, exports, transmissions) of granted cameras. */
    REGISTER_READ(true),
    /** Read the Prometheus metrics and the OpenAPI document. */
    SYSTEM_READ(false),
    /** Any authenticated user (log out, read oneself). */
    AUTHENTICATED(false);

    private final boolean cameraScoped;

    Permission(boolean cameraScoped) {
        this.cameraScoped = cameraScoped;
    }

    public boolean cameraScoped() {
        return cameraScoped;
    }
}
