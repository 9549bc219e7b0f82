package org.vigie.camera;

import java.util.Objects;

/** Where a PTZ head points now and whether it is moving (ONVIF {@code GetStatus}). */
public record PtzStatus(PtzPosition position, boolean moving) {

    public PtzStatus {
        Objects.requireNonNull(position, "position");
    }
}
