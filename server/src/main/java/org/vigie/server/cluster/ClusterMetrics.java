package org.vigie.server.cluster;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.vigie.cluster.ClusterNode;

/**
 * This node's cluster figures, tagged {@code node=<node-id>} so that one Prometheus scraping every node tells them
 * apart: {@code vms_cluster_connected} (0 while ZooKeeper is unreachable: the node keeps what it records),
 * {@code vms_cluster_leader}, {@code vms_cluster_nodes} (live nodes seen), {@code vms_cluster_cameras_recorded},
 * {@code vms_cluster_assignments_written_total} (as leader) and {@code vms_cluster_sessions_lost_total} (each one
 * handed this node's cameras to the others). Function meters: read when scraped.
 */
public final class ClusterMetrics {

    private ClusterMetrics() {
    }

    public static void bindTo(MeterRegistry registry, ClusterNode node) {
        Tags tags = Tags.of("node", node.nodeId());
        Gauge.builder("vms.cluster.connected", node, n -> n.connected() ? 1 : 0).tags(tags)
                .description("1 while this node's ZooKeeper session is connected").register(registry);
        Gauge.builder("vms.cluster.leader", node, n -> n.isLeader() ? 1 : 0).tags(tags)
                .description("1 while this node is the cluster's leader (it assigns the cameras)").register(registry);
        Gauge.builder("vms.cluster.nodes", node, n -> n.view().nodes().size()).tags(tags)
                .description("Live nodes this node sees").register(registry);
        Gauge.builder("vms.cluster.cameras.recorded", node, n -> n.recording().size()).tags(tags)
                .description("Cameras this node records (its assignment, and cameras being handed over)")
                .register(registry);
        FunctionCounter.builder("vms.cluster.assignments.written", node, ClusterNode::assignmentsWritten).tags(tags)
                .description("Assignments this node wrote as leader").register(registry);
        FunctionCounter.builder("vms.cluster.sessions.lost", node, ClusterNode::sessionsLost).tags(tags)
                .description("ZooKeeper sessions this node lost (its cameras went to the others)")
                .register(registry);
    }
}
