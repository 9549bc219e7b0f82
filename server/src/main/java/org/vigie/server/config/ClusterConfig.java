package org.vigie.server.config;

import java.net.URI;
import java.time.Duration;

/**
 * The {@code cluster} section: absent (or without {@code zookeeper}), the server is a single node; present, it is
 * one node of a cluster whose nodes share a ZooKeeper ensemble (membership, leader, camera assignment) and a
 * PostgreSQL database ({@code database.url}). Every node runs the same configuration but for {@code node-id} and
 * {@code advertise}.
 *
 * @param zookeeper      the ensemble's connect string ({@code host:port,host:port,...})
 * @param nodeId         unique and stable across restarts: the recordings catalogue and the register name nodes by it
 * @param advertise      how the other nodes reach this node's API ({@code http(s)://host:port})
 * @param advertiseRtsp  how clients reach this node's RTSP re-stream; null: the advertised host with {@code server.rtsp-port}
 * @param sessionTimeout how long ZooKeeper waits for a silent node before its cameras go to the others
 * @param rebalanceDelay how long a (re)joining node waits before cameras are moved back to it for balance
 * @param secret         the node-to-node credential (proxied archive, live and export requests); a secret
 * @param capacityKbps   the bitrate this node is sized to record (kbit/s): the leader shares cameras in proportion
 */
public record ClusterConfig(String zookeeper, String nodeId, URI advertise, URI advertiseRtsp, Duration sessionTimeout,
                            Duration rebalanceDelay, String secret, int capacityKbps) {

    /** Shortest secret accepted: it guards every camera's archive between nodes. */
    public static final int MIN_SECRET_LENGTH = 16;

    /** Null when the section is absent or has no {@code zookeeper}: a single node. */
    static ClusterConfig read(ConfigNode n) throws ConfigException {
        if (!n.has("zookeeper")) {
            n.finish(); // any other key without zookeeper is a mistake
            return null;
        }
        String zk = n.requiredString("zookeeper").trim();
        if (!zk.matches("[A-Za-z0-9.\\-\\[\\]:]+(,[A-Za-z0-9.\\-\\[\\]:]+)*(/[A-Za-z0-9_/\\-]+)?")) {
            throw new ConfigException(n.keyPath("zookeeper"), "must be host:port[,host:port...], got '" + zk + "'");
        }
        String nodeId = CameraConfig.nodeId(n, "node-id");
        URI advertise = CameraConfig.httpUrl(n, "advertise", n.requiredString("advertise"));
        URI advertiseRtsp = null;
        if (n.has("advertise-rtsp")) {
            advertiseRtsp = CameraConfig.rtspUrl(n, "advertise-rtsp", n.string("advertise-rtsp", null));
        }
        Duration session = n.duration("session-timeout", Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofSeconds(60));
        Duration delay = n.duration("rebalance-delay", Duration.ofMinutes(2), Duration.ZERO, Duration.ofDays(1));
        String secret = n.string("secret", "");
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new ConfigException(n.keyPath("secret"), "is required in a cluster: at least " + MIN_SECRET_LENGTH
                    + " characters shared by every node (e.g. openssl rand -hex 32)");
        }
        int capacity = n.integer("capacity", 400_000, 1000, 100_000_000);
        n.finish();
        return new ClusterConfig(zk, nodeId, advertise, advertiseRtsp, session, delay, secret, capacity);
    }

    @Override
    public String toString() {
        return "ClusterConfig[zookeeper=" + zookeeper + ", node-id=" + nodeId + ", advertise=" + advertise
                + ", session-timeout=" + Durations.format(sessionTimeout) + ", rebalance-delay="
                + Durations.format(rebalanceDelay) + ", secret=***, capacity=" + capacityKbps + "]";
    }
}
