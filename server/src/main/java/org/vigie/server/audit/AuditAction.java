package org.vigie.server.audit;

/** The action names of the audit trail (the {@code action} column). */
public final class AuditAction {

    public static final String LOGIN = "auth.login";
    public static final String LOGIN_FAILED = "auth.login-failed";
    public static final String LOGOUT = "auth.logout";
    /** A request refused for lack of rights (the detail names the route). */
    public static final String ACCESS_DENIED = "access.denied";
    public static final String CAMERA_READ = "camera.read";
    public static final String LIVE_VIEW = "view.live";
    public static final String ARCHIVE_VIEW = "view.archive";
    /** An export; its detail must hold a non-empty {@code reason} ({@link AuditLog#export}). */
    public static final String EXPORT = "export";
    public static final String PTZ = "ptz";
    /** An event search: of one camera (the camera column), or of every granted camera (detail: their count). */
    public static final String EVENTS_SEARCH = "events.search";
    /** A bookmark added (detail: id, time, duration, title). */
    public static final String BOOKMARK_CREATE = "bookmark.create";
    /** A bookmark deleted (detail: id, time, title, its author). */
    public static final String BOOKMARK_DELETE = "bookmark.delete";
    public static final String CONFIG_CHANGE = "config.change";
    public static final String USER_CHANGE = "user.change";
    public static final String AUDIT_READ = "audit.read";
    /** A legal hold put on recordings (detail: hold id, case number, range, expiry, reason). */
    public static final String HOLD_CREATE = "hold.create";
    /** A legal hold's expiry moved later (detail: hold id, previous and new expiry). */
    public static final String HOLD_EXTEND = "hold.extend";
    /** A legal hold ended before its expiry (detail: hold id and the mandatory reason). */
    public static final String HOLD_RELEASE = "hold.release";
    /** A saved wall layout created, changed or deleted (detail: change, id, name, layout, group, cameras). */
    public static final String LAYOUT_CHANGE = "layout.change";
    /** A camera's privacy masks replaced (detail: before and after, each a version and its masks). */
    public static final String MASKS_CHANGE = "masks.change";
    /**
     * A lift of a camera's liftable privacy masks, granted (detail: reason, the version and the ids lifted, the
     * path); a refused lift is {@link #ACCESS_DENIED}.
     */
    public static final String MASKS_LIFT = "masks.lift";
    /** A read of the register of recordings (destructions, exports, transmissions). */
    public static final String REGISTER_READ = "register.read";

    private AuditAction() {
    }
}
