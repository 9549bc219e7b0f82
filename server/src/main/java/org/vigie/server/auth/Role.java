package org.vigie.server.auth;

import java.util.EnumSet;
import java.util.Set;

/** The roles of the issue and the permissions each gives. Camera-scoped ones apply only to granted cameras. */
public enum Role {
    /** Everything, on every camera. */
    ADMINISTRATOR(EnumSet.allOf(Permission.class)),
    /** Viewing, export, holds, PTZ and the register of recordings on granted cameras. */
    SUPERVISOR(EnumSet.of(Permission.CAMERA_READ, Permission.LIVE_VIEW, Permission.ARCHIVE_VIEW, Permission.EXPORT,
            Permission.HOLD, Permission.PTZ, Permission.EVENTS_READ, Permission.BOOKMARKS_WRITE,
            Permission.REGISTER_READ, Permission.LAYOUTS, Permission.LAYOUT_SHARE, Permission.AUTHENTICATED)),
    /** Live and archive viewing and PTZ on granted cameras. */
    OPERATOR(EnumSet.of(Permission.CAMERA_READ, Permission.LIVE_VIEW, Permission.ARCHIVE_VIEW, Permission.PTZ,
            Permission.EVENTS_READ, Permission.BOOKMARKS_WRITE, Permission.LAYOUTS, Permission.AUTHENTICATED)),
    /** Read access to the API (cameras, events, metrics) for the systems of integrators, on granted cameras. */
    INTEGRATOR(EnumSet.of(Permission.CAMERA_READ, Permission.EVENTS_READ, Permission.SYSTEM_READ,
            Permission.AUTHENTICATED));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = Set.copyOf(permissions);
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    /** The lower-case name used in the API ({@code administrator}, ...). */
    public String apiName() {
        return name().toLowerCase();
    }

    public static Role fromApiName(String s) {
        for (Role r : values()) {
            if (r.apiName().equals(s)) return r;
        }
        throw new IllegalArgumentException("unknown role '" + s + "' (administrator, supervisor, operator, integrator)");
    }
}
