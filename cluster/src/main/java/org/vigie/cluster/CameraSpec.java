package org.vigie.cluster;

import java.util.Objects;

/**
 * What the leader knows of a camera to place it.
 *
 * @param id          the camera id
 * @param pin         the node that records it whenever that node is up, or null
 * @param bitrateKbps the expected bitrate of what is recorded of it
 */
public record CameraSpec(String id, String pin, int bitrateKbps) {

    public CameraSpec {
        Objects.requireNonNull(id, "id");
        if (bitrateKbps <= 0) {
            throw new IllegalArgumentException("bitrate must be positive: " + bitrateKbps);
        }
    }
}
