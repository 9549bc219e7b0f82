package org.vigie.camera;

import java.util.Objects;
import java.util.Optional;

/** A stored PTZ position of a camera. The position is absent when the camera does not report it. */
public record Preset(String token, String name, Optional<PtzPosition> position) {

    public Preset {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(position, "position");
    }
}
