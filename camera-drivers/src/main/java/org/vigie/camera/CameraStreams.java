package org.vigie.camera;

import java.util.Objects;

/**
 * The two streams the server uses for a camera: {@code main} (highest resolution, recorded) and {@code sub}
 * (lowest resolution, for video-wall tiles). Both have a resolved stream URI. A camera with a single video
 * profile has {@code main == sub}.
 */
public record CameraStreams(MediaProfile main, MediaProfile sub) {

    public CameraStreams {
        Objects.requireNonNull(main, "main");
        Objects.requireNonNull(sub, "sub");
        if (main.streamUri() == null || sub.streamUri() == null) {
            throw new IllegalArgumentException("stream URIs must be resolved");
        }
        if (main.pixels() < sub.pixels()) {
            throw new IllegalArgumentException("main stream smaller than sub stream");
        }
    }
}
