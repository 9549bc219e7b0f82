package org.vigie.server.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.cluster.CameraStates;
import org.vigie.cluster.ClusterNode;
import org.vigie.ingest.CameraStatus;
import org.vigie.server.camera.Camera;
import org.vigie.server.camera.CameraRegistry;

/**
 * Where each camera of a cluster is recorded and in what state, for the API of every node: a camera recorded on
 * another node is shown with that node's id and the state that node publishes ({@link CameraStates}), not as
 * {@code disabled} (which is all this node's registry knows of a camera it does not pull).
 *
 * <p>This node publishes the state of the cameras it records every {@link #PERIOD} (written to ZooKeeper only when
 * a state changed), on a daemon thread of its own; reading is from Curator's cache, never blocking. A single node
 * has no whereabouts ({@link #SINGLE}: every camera's state is its own).
 */
public final class CameraWhereabouts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CameraWhereabouts.class);
    /** How often this node's camera states are compared with those it published. */
    public static final Duration PERIOD = Duration.ofMillis(500);
    /** No cluster: the API shows each camera's own state. */
    public static final CameraWhereabouts SINGLE = new CameraWhereabouts(null, null, null);

    /**
     * Where a camera is recorded.
     *
     * @param node  the node recording it, null when the leader has placed it nowhere (a disabled camera, or no
     *              node up)
     * @param here  whether that node is this one (the local state is then the truth)
     * @param state the recording node's state of the camera ({@code streaming}, ...), {@code unknown} until it has
     *              published one, {@code unassigned} when no node records it; null when {@code here}
     * @param since when the camera entered {@code state} on its node, or null
     */
    public record Where(String node, boolean here, String state, Instant since) {
    }

    private final ClusterNode node;
    private final CameraRegistry registry;
    private final AssignedCameras assigned;
    private final ScheduledExecutorService publisher;

    private CameraWhereabouts(ClusterNode node, CameraRegistry registry, AssignedCameras assigned) {
        this.node = node;
        this.registry = registry;
        this.assigned = assigned;
        this.publisher = node == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-camera-states");
            t.setDaemon(true);
            return t;
        });
    }

    /** Publishes this node's camera states from now on, and reads the others'. */
    public static CameraWhereabouts start(ClusterNode node, CameraRegistry registry, AssignedCameras assigned) {
        CameraWhereabouts w = new CameraWhereabouts(node, registry, assigned);
        w.publisher.scheduleWithFixedDelay(w::publish, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return w;
    }

    private void publish() {
        try {
            Map<String, CameraStates.State> mine = new HashMap<>();
            for (String id : assigned.get()) {
                registry.get(id).ifPresent(c -> mine.put(id, stateOf(c)));
            }
            node.cameraStates().publish(mine);
        } catch (RuntimeException e) {
            LOG.warn("cluster: camera states not published: {}", e.toString());
        }
    }

    private CameraStates.State stateOf(Camera c) {
        CameraStatus s = c.mainStatus();
        return new CameraStates.State(node.nodeId(), c.state().name().toLowerCase(), s == null ? null : s.since());
    }

    /** Where {@code cameraId} is recorded; empty on a single node. */
    public Optional<Where> of(String cameraId) {
        if (node == null) return Optional.empty();
        String owner = node.nodeOf(cameraId);
        if (owner == null) return Optional.of(new Where(null, false, "unassigned", null));
        if (owner.equals(node.nodeId())) return Optional.of(new Where(owner, true, null, null));
        return Optional.of(node.cameraStates().of(owner, cameraId)
                .map(s -> new Where(owner, false, s.state(), s.since()))
                .orElse(new Where(owner, false, "unknown", null)));
    }

    /**
     * What the cameras API adds to a camera's state in a cluster: {@code recordedBy} (the node, or null), and for a
     * camera recorded elsewhere that node's {@code state} and {@code stateSince} in place of this node's (a camera
     * disabled by its configuration stays {@code disabled}). Empty on a single node.
     */
    public Map<String, Object> apiFields(String cameraId) {
        Optional<Where> w = of(cameraId);
        if (w.isEmpty()) return Map.of();
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("recordedBy", w.get().node());
        boolean enabled = registry.get(cameraId).map(c -> c.config().enabled()).orElse(false);
        if (!w.get().here() && enabled) {
            m.put("state", w.get().state());
            m.put("stateSince", w.get().since());
        }
        return m;
    }

    /** Every camera state {@code nodeId} publishes (camera -> state). */
    public Map<String, CameraStates.State> statesOf(String nodeId) {
        return node == null ? Map.of() : node.cameraStates().of(nodeId);
    }

    @Override
    public void close() {
        if (publisher != null) publisher.shutdownNow();
    }
}
