package org.vigie.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * A live node as registered in ZooKeeper (its ephemeral znode).
 *
 * @param id           the node id ({@code cluster.node-id})
 * @param api          how the other nodes reach its API ({@code cluster.advertise})
 * @param rtsp         how clients reach its RTSP re-stream
 * @param capacityKbps the bitrate it is sized to record
 * @param joinedAt     when its current ZooKeeper registration was made (the znode's creation time)
 */
public record NodeInfo(String id, String api, String rtsp, int capacityKbps, Instant joinedAt) {

    public NodeInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(joinedAt, "joinedAt");
        if (capacityKbps <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacityKbps);
        }
    }
}
