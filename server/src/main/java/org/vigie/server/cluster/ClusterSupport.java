package org.vigie.server.cluster;

import java.net.URI;
import java.time.InstantSource;
import org.vigie.cluster.ClusterNode;
import org.vigie.cluster.ClusterSettings;
import org.vigie.server.config.ClusterConfig;

/** Joins this server to its cluster, as the {@code cluster:} section says. */
public final class ClusterSupport {

    private ClusterSupport() {
    }

    /** The cluster module's settings from the configuration; {@code rtspPort}: this server's re-stream port. */
    public static ClusterSettings settings(ClusterConfig c, int rtspPort) {
        URI rtsp = c.advertiseRtsp() != null ? c.advertiseRtsp()
                : URI.create("rtsp://" + c.advertise().getHost() + ":" + rtspPort);
        return new ClusterSettings(c.zookeeper(), c.nodeId(), c.advertise().toString(), rtsp.toString(),
                c.capacityKbps(), c.sessionTimeout(), c.rebalanceDelay(), ClusterSettings.HANDOVER);
    }

    /**
     * Registers, runs for leader and follows the assignment: from now on {@code cameras} starts and stops what this
     * node records. Returns at once (ZooKeeper is reached in the background; until then nothing is recorded here,
     * as nothing is assigned).
     */
    public static ClusterNode join(ClusterConfig c, int rtspPort, ClusterCameras cameras, InstantSource clock) {
        ClusterNode node = ClusterNode.start(settings(c, rtspPort), cameras, cameras, clock);
        cameras.announceTo(node);
        return node;
    }
}
