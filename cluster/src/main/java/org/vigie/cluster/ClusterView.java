package org.vigie.cluster;

import java.util.List;

/**
 * The cluster as one node sees it, for {@code GET /api/v1/cluster} and the metrics.
 *
 * @param self       this node's id
 * @param connected  whether this node's ZooKeeper session is up (false: it keeps recording what it has)
 * @param leader     the leader's node id, or null when unknown
 * @param nodes      the live nodes
 * @param assignment the assignment this node last read
 * @param recording  the cameras this node records now (its assignment, plus cameras handed over a moment ago)
 */
public record ClusterView(String self, boolean connected, String leader, List<NodeInfo> nodes, Assignment assignment,
                          List<String> recording) {
}
