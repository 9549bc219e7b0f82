package org.vigie.server.cluster;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.cluster.AssignmentListener;
import org.vigie.cluster.CameraSpec;
import org.vigie.cluster.ClusterNode;
import org.vigie.server.camera.Camera;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.store.CameraStore;

/**
 * The cameras of a cluster node. Every camera of the cluster is in this node's {@link CameraRegistry} (so that the
 * API lists and describes each of them on every node), but only those the leader assigned to this node are pulled
 * and recorded here ({@link AssignedCameras}, the registry's placement): at each new assignment the cameras that
 * change side are put again into the registry, which starts or stops their supervisors.
 *
 * <p>Cameras come from the configuration file (the same on every node) and from the shared store (added through
 * the API on any node): a camera of the store put or removed through this node's registry by anyone but this class
 * (the API, the ONVIF side) is announced to the others through ZooKeeper, and each reloads the store
 * ({@link #camerasChanged}).
 *
 * <p>Threads: {@link #assigned} and {@link #camerasChanged} run on the cluster's one thread, in order.
 */
public final class ClusterCameras implements AssignmentListener, ClusterNode.CameraSource, CameraRegistry.Observer {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterCameras.class);

    private final CameraRegistry registry;
    private final CameraStore store;
    private final Set<String> configIds;
    private final AssignedCameras assigned;
    /** Set while this class changes the registry itself (its observer then announces nothing). */
    private final ThreadLocal<Boolean> applying = ThreadLocal.withInitial(() -> false);
    private volatile ClusterNode node;

    /**
     * @param configIds the cameras of the configuration file (never reloaded from the store: they shadow it)
     * @param assigned  the placement the registry was made with
     */
    public ClusterCameras(CameraRegistry registry, CameraStore store, Set<String> configIds,
                          AssignedCameras assigned) {
        this.registry = registry;
        this.store = store;
        this.configIds = Set.copyOf(configIds);
        this.assigned = assigned;
    }

    /** Where changes made on this node are announced: the cluster node, once started. */
    void announceTo(ClusterNode clusterNode) {
        this.node = clusterNode;
        registry.observe(this);
    }

    @Override
    public void put(CameraConfig config) {
        announce(config.id());
    }

    @Override
    public void removed(String id) {
        announce(id);
    }

    private void announce(String id) {
        ClusterNode n = node;
        if (n == null || applying.get() || configIds.contains(id)) return; // the file is the same on every node
        n.announceCamerasChanged();
    }

    @Override
    public void assigned(Set<String> cameras) {
        Set<String> before = assigned.get();
        assigned.set(cameras);
        Set<String> changed = new TreeSet<>(before);
        changed.addAll(cameras);
        Set<String> both = new HashSet<>(before);
        both.retainAll(cameras);
        changed.removeAll(both);
        int started = 0;
        int stopped = 0;
        for (String id : changed) {
            var cam = registry.get(id);
            if (cam.isEmpty()) {
                LOG.warn("cluster: camera {} assigned to this node is unknown here", id);
                continue;
            }
            apply(() -> registry.put(cam.get().config())); // placed again: started here, or stopped
            if (cameras.contains(id)) started++; else stopped++;
        }
        if (!changed.isEmpty()) {
            LOG.info("cluster: recording {} camera(s) here ({} started, {} stopped)", cameras.size(), started,
                    stopped);
        }
    }

    @Override
    public void camerasChanged() {
        List<CameraConfig> stored;
        try {
            stored = store.list();
        } catch (SQLException e) {
            LOG.warn("cluster: cameras not reloaded from the store: {}", e.getMessage());
            return;
        }
        Set<String> storedIds = new HashSet<>();
        for (CameraConfig c : stored) {
            if (configIds.contains(c.id())) continue;
            storedIds.add(c.id());
            var existing = registry.get(c.id());
            if (existing.isEmpty() || !sameEntry(existing.get().config(), c)) {
                LOG.info("cluster: camera {} {} on another node", c.id(), existing.isEmpty() ? "added" : "changed");
                apply(() -> registry.put(c));
            }
        }
        for (Camera cam : registry.list()) {
            String id = cam.id();
            if (!configIds.contains(id) && !storedIds.contains(id)) {
                LOG.info("cluster: camera {} deleted on another node", id);
                apply(() -> registry.remove(id));
            }
        }
    }

    private void apply(Runnable change) {
        applying.set(true);
        try {
            change.run();
        } finally {
            applying.set(false);
        }
    }

    /**
     * Whether the registry's entry is the stored one: an ONVIF camera's streams are resolved in the registry but not
     * in the store, which is no change (else each node's resolution would make the others reload for ever).
     */
    static boolean sameEntry(CameraConfig running, CameraConfig stored) {
        if (running.equals(stored)) return true;
        return stored.onvif() != null && stored.url() == null
                && running.withStreams(null, null).equals(stored.withStreams(null, null));
    }

    /** What the leader places: the enabled cameras (a disabled camera is recorded nowhere). */
    @Override
    public List<CameraSpec> cameras() {
        List<CameraSpec> out = new ArrayList<>();
        for (Camera c : registry.list()) {
            CameraConfig cc = c.config();
            if (cc.enabled()) out.add(new CameraSpec(cc.id(), cc.pin(), cc.bitrateKbps()));
        }
        return out;
    }
}
