package org.vigie.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node joins the cluster.
 *
 * @param zookeeper      the ensemble's connect string
 * @param nodeId         this node's id
 * @param api            this node's advertised API URL
 * @param rtsp           this node's advertised RTSP URL
 * @param capacityKbps   the bitrate this node is sized to record
 * @param sessionTimeout the ZooKeeper session timeout: how long a silent node keeps its cameras
 * @param rebalanceDelay how long a (re)joining node waits before cameras are moved to it for balance
 * @param handover       how long a node keeps recording a camera moved away from it while alive, so that the new
 *                       node is recording before the old one stops (no gap on a rebalance)
 */
public record ClusterSettings(String zookeeper, String nodeId, String api, String rtsp, int capacityKbps,
                              Duration sessionTimeout, Duration rebalanceDelay, Duration handover) {

    /** The default {@link #handover}: a camera connects and sends its first key frame well within it. */
    public static final Duration HANDOVER = Duration.ofSeconds(5);

    public ClusterSettings {
        Objects.requireNonNull(zookeeper, "zookeeper");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(rebalanceDelay, "rebalanceDelay");
        Objects.requireNonNull(handover, "handover");
    }
}
