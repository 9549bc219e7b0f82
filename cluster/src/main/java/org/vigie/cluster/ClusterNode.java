package org.vigie.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership of the cluster, on ZooKeeper through Curator (under the {@code /vigie} namespace):
 * <ul>
 *   <li>{@code /nodes/<id>}: an ephemeral znode with its advertised API and RTSP addresses and its capacity,
 *       recreated by Curator's {@link PersistentNode} after a lost session;</li>
 *   <li>{@code /leader}: Curator's {@link LeaderLatch}; the leader places the cameras with {@link Assigner} at each
 *       change of the nodes or the cameras, and every second (a returning node's delay runs out), and writes
 *       {@code /assignment} only when the placement changes, as a compare-and-set on the version it read (a leader
 *       that lost its lease cannot overwrite its successor's decision);</li>
 *   <li>{@code /assignment}: watched by every node, which hands its part to its {@link AssignmentListener}; a
 *       camera moved away from a live node is kept for {@link ClusterSettings#handover()} so that its new node
 *       records it first;</li>
 *   <li>{@code /cameras}: touched when a node changes the cameras through the API, so that the others reload;</li>
 *   <li>{@code /states/<id>}: ephemeral, the state of the cameras the node records ({@link CameraStates});</li>
 *   <li>{@code /signals/<name>}: {@link ClusterSignal}s, touched when a node changes something other nodes keep a
 *       copy of (the privacy masks).</li>
 * </ul>
 * While ZooKeeper is unreachable nothing changes here: the node keeps recording what it records, and reconciles
 * with the assignment it reads once back (a duplicate for a while, never a gap).
 *
 * <p>Threads: Curator's event threads only post to this node's single thread ({@code vigie-cluster}), which runs
 * every decision and every listener call, in order.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String NAMESPACE = "vigie";
    static final String NODES = "/nodes";
    static final String LEADER = "/leader";
    static final String ASSIGNMENT = "/assignment";
    static final String CAMERAS = "/cameras";

    /** Where the cameras come from (the configuration and the store). */
    @FunctionalInterface
    public interface CameraSource {
        List<CameraSpec> cameras() throws Exception;
    }

    private final ClusterSettings settings;
    private final CameraSource source;
    private final AssignmentListener listener;
    private final InstantSource clock;
    private final CuratorFramework client;
    private final ScheduledExecutorService thread;
    private final PersistentNode registration;
    private final LeaderLatch latch;
    private final CuratorCache nodesCache;
    private final CuratorCache assignmentCache;
    private final CuratorCache camerasCache;
    private final CameraStates cameraStates;
    private final List<ClusterSignal> signals = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong assignmentsWritten = new AtomicLong();
    private final AtomicLong placements = new AtomicLong();
    private final AtomicLong sessionsLost = new AtomicLong();
    /** When this node first saw each registration ({@code id@czxid}), on its own clock. */
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> handingOver = new HashMap<>();
    private volatile boolean nodesReady;
    private volatile boolean connected;
    private volatile Assignment current = Assignment.EMPTY;
    private volatile Set<String> recording = Set.of();
    /** Counted down once a leaving node records nothing. */
    private final java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean leaving;
    private Set<String> assignedHere = Set.of();
    private boolean closed;

    private ClusterNode(ClusterSettings settings, CameraSource source, AssignmentListener listener,
                        InstantSource clock) {
        this.settings = settings;
        this.source = source;
        this.listener = listener;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigie-cluster");
            t.setDaemon(true);
            return t;
        });
        int session = (int) settings.sessionTimeout().toMillis();
        this.client = CuratorFrameworkFactory.builder()
                .connectString(settings.zookeeper())
                .sessionTimeoutMs(session)
                .connectionTimeoutMs(Math.min(session, 5000))
                .retryPolicy(new BoundedExponentialBackoffRetry(250, 5000, 29))
                .namespace(NAMESPACE)
                .build();
        this.registration = new PersistentNode(client, CreateMode.EPHEMERAL, false, NODES + "/" + settings.nodeId(),
                registrationData());
        this.latch = new LeaderLatch(client, LEADER, settings.nodeId());
        this.nodesCache = CuratorCache.build(client, NODES);
        this.assignmentCache = CuratorCache.build(client, ASSIGNMENT, CuratorCache.Options.SINGLE_NODE_CACHE);
        this.camerasCache = CuratorCache.build(client, CAMERAS, CuratorCache.Options.SINGLE_NODE_CACHE);
        this.cameraStates = new CameraStates(client, settings.nodeId());
    }

    /** Joins the cluster: connects (in the background), registers, runs for leader, watches the assignment. */
    public static ClusterNode start(ClusterSettings settings, CameraSource source, AssignmentListener listener,
                                    InstantSource clock) {
        ClusterNode node = new ClusterNode(settings, source, listener, clock);
        node.begin();
        return node;
    }

    private void begin() {
        client.getConnectionStateListenable().addListener((c, state) -> post(() -> connectionChanged(state)));
        client.start();
        nodesCache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, before, after) -> post(this::rebalance))
                .forInitialized(() -> post(() -> {
                    nodesReady = true;
                    rebalance();
                }))
                .build());
        assignmentCache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, before, after) -> {
                    if (after != null && after.getPath().equals(ASSIGNMENT)) {
                        byte[] data = after.getData();
                        post(() -> assignmentChanged(data));
                    }
                })
                .build());
        // the first change creates the znode: creates count as changes, the initial load does not
        camerasCache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> post(() -> {
                    listener.camerasChanged();
                    rebalance();
                }))
                .afterInitialized()
                .build());
        registration.start();
        nodesCache.start();
        assignmentCache.start();
        camerasCache.start();
        cameraStates.start();
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                LOG.info("cluster: {} is the leader", settings.nodeId());
                post(ClusterNode.this::rebalance);
            }

            @Override
            public void notLeader() {
                LOG.info("cluster: {} is no longer the leader", settings.nodeId());
            }
        });
        try {
            latch.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot run for leader: " + e.getMessage(), e);
        }
        thread.scheduleWithFixedDelay(() -> safely(this::rebalance), 1, 1, TimeUnit.SECONDS);
    }

    private byte[] registrationData() {
        var n = JSON.createObjectNode();
        n.put("api", settings.api());
        n.put("rtsp", settings.rtsp());
        n.put("capacity", settings.capacityKbps());
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void post(Runnable r) {
        try {
            thread.execute(() -> safely(r));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void safely(Runnable r) {
        try {
            if (!closed) r.run();
        } catch (RuntimeException e) {
            LOG.warn("cluster: {}", e.toString(), e);
        }
    }

    private void connectionChanged(ConnectionState state) {
        boolean was = connected;
        connected = state.isConnected();
        if (state == ConnectionState.LOST) sessionsLost.incrementAndGet();
        if (was != connected) {
            LOG.info("cluster: ZooKeeper {} ({}): {}", connected ? "connected" : "unreachable", state,
                    connected ? "reconciling with the assignment" : "keeping the " + recording.size()
                            + " camera(s) recorded here");
        }
        if (state == ConnectionState.RECONNECTED) {
            byte[] data = assignmentCache.get(ASSIGNMENT).map(ChildData::getData).orElse(null);
            if (data != null) assignmentChanged(data);
        }
    }

    // ---- every node: follow the assignment ----

    private void assignmentChanged(byte[] data) {
        Assignment a;
        try {
            a = Assignment.fromBytes(data);
        } catch (IOException e) {
            LOG.error("cluster: unreadable assignment ignored: {}", e.getMessage());
            return;
        }
        current = a;
        Set<String> mine = a.camerasOf(settings.nodeId());
        for (String camera : mine) {
            ScheduledFuture<?> f = handingOver.remove(camera);
            if (f != null) f.cancel(false); // given back before it was handed over
        }
        for (String camera : assignedHere) {
            if (!mine.contains(camera) && !handingOver.containsKey(camera)) {
                LOG.info("cluster: camera {} moves to {}: recorded here for another {} s", camera, a.nodeOf(camera),
                        settings.handover().toSeconds());
                handingOver.put(camera, thread.schedule(() -> safely(() -> handedOver(camera)),
                        settings.handover().toMillis(), TimeUnit.MILLISECONDS));
            }
        }
        assignedHere = mine;
        publish();
    }

    private void handedOver(String camera) {
        handingOver.remove(camera);
        publish();
    }

    private void publish() {
        Set<String> now = new TreeSet<>(assignedHere);
        now.addAll(handingOver.keySet());
        if (!now.equals(recording)) {
            recording = Set.copyOf(now);
            listener.assigned(Set.copyOf(now));
        }
        if (leaving && recording.isEmpty()) drained.countDown();
    }

    // ---- the leader: place the cameras ----

    private void rebalance() {
        if (!nodesReady || !latch.hasLeadership() || !connected) return;
        List<NodeInfo> nodes = liveNodes();
        Instant now = clock.instant();
        List<CameraSpec> cameras;
        try {
            cameras = source.cameras();
        } catch (Exception e) {
            LOG.warn("cluster: cameras unavailable, assignment kept: {}", e.toString());
            return;
        }
        try {
            Stat stat = new Stat();
            Assignment previous;
            try {
                previous = Assignment.fromBytes(client.getData().storingStatIn(stat).forPath(ASSIGNMENT));
            } catch (KeeperException.NoNodeException e) {
                previous = Assignment.EMPTY;
                stat = null;
            }
            Set<String> live = new TreeSet<>();
            nodes.forEach(n -> live.add(n.id()));
            Set<String> departed = new TreeSet<>(previous.departed());
            previous.cameras().values().forEach(n -> {
                if (!live.contains(n)) departed.add(n);
            });
            // only a returning node waits: the others count as up since ever
            List<NodeInfo> placed = nodes.stream().map(n -> departed.contains(n.id()) ? n
                    : new NodeInfo(n.id(), n.api(), n.rtsp(), n.capacityKbps(), Instant.EPOCH)).toList();
            Map<String, String> placement = Assigner.assign(cameras, placed, previous, now,
                    settings.rebalanceDelay());
            nodes.forEach(n -> {
                if (Assigner.mature(n, now, settings.rebalanceDelay())) departed.remove(n.id());
            });
            placements.incrementAndGet();
            if (placement.equals(previous.cameras()) && departed.equals(previous.departed())) return;
            Assignment next = new Assignment(previous.generation() + 1, settings.nodeId(), placement, departed);
            if (stat == null) {
                client.create().creatingParentContainersIfNeeded().forPath(ASSIGNMENT, next.toBytes());
            } else {
                client.setData().withVersion(stat.getVersion()).forPath(ASSIGNMENT, next.toBytes());
            }
            assignmentsWritten.incrementAndGet();
            LOG.info("cluster: assignment {} written: {} camera(s) on {} node(s) {}", next.generation(),
                    placement.size(), nodes.size(), counts(placement));
        } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException e) {
            LOG.info("cluster: the assignment changed meanwhile; placing again");
            post(this::rebalance);
        } catch (Exception e) {
            LOG.warn("cluster: assignment not written: {}", e.toString());
        }
    }

    private static Map<String, Integer> counts(Map<String, String> placement) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        placement.values().forEach(n -> out.merge(n, 1, Integer::sum));
        return out;
    }

    private List<NodeInfo> liveNodes() {
        List<NodeInfo> out = new ArrayList<>();
        nodesCache.stream().forEach(d -> {
            String path = d.getPath();
            if (!path.startsWith(NODES + "/") || d.getStat() == null) return;
            String id = path.substring(NODES.length() + 1);
            try {
                JsonNode n = JSON.readTree(d.getData());
                Instant seen = firstSeen.computeIfAbsent(id + "@" + d.getStat().getCzxid(), k -> clock.instant());
                out.add(new NodeInfo(id, n.path("api").asText(""), n.path("rtsp").asText(""),
                        Math.max(1, n.path("capacity").asInt(1)), seen));
            } catch (IOException | RuntimeException e) {
                LOG.warn("cluster: node {} ignored: unreadable registration ({})", id, e.toString());
            }
        });
        out.sort(Comparator.comparing(NodeInfo::id));
        if (firstSeen.size() > out.size()) { // registrations gone: forget them
            Set<String> keys = new TreeSet<>();
            nodesCache.stream().filter(d -> d.getStat() != null && d.getPath().startsWith(NODES + "/"))
                    .forEach(d -> keys.add(d.getPath().substring(NODES.length() + 1) + "@" + d.getStat().getCzxid()));
            firstSeen.keySet().retainAll(keys);
        }
        return out;
    }

    // ---- for the server ----

    /**
     * Tells every node, in the background, that the cameras changed (one was added, changed or removed through the
     * API); never blocks (a registry observer calls it under its lock).
     */
    public void announceCamerasChanged() {
        post(() -> {
            try {
                camerasChanged();
            } catch (Exception e) {
                LOG.warn("cluster: the other nodes were not told that the cameras changed ({}); they see it at the "
                        + "next change", e.toString());
            }
        });
    }

    /** Tells every node that the cameras changed (one was added, changed or removed through the API). */
    public void camerasChanged() throws Exception {
        byte[] stamp = Long.toString(clock.millis()).getBytes(StandardCharsets.UTF_8);
        try {
            client.setData().forPath(CAMERAS, stamp);
        } catch (KeeperException.NoNodeException e) {
            try {
                client.create().creatingParentContainersIfNeeded().forPath(CAMERAS, stamp);
            } catch (KeeperException.NodeExistsException raced) {
                client.setData().forPath(CAMERAS, stamp);
            }
        }
    }

    /**
     * A {@link ClusterSignal} named {@code name} (lower case, digits, dashes): {@code onRaised} runs at each raise by
     * any node, on Curator's event thread (it must not block). Closed with this node.
     */
    public ClusterSignal signal(String name, Runnable onRaised) {
        ClusterSignal s = new ClusterSignal(client, name, clock, onRaised);
        signals.add(s);
        return s;
    }

    /** The state of each node's cameras, as each node publishes it ({@code /states/<node-id>}). */
    public CameraStates cameraStates() {
        return cameraStates;
    }

    /** The cluster as this node sees it. */
    public ClusterView view() {
        String leader = null;
        if (connected) {
            try {
                var p = latch.getLeader();
                leader = p.isLeader() ? p.getId() : null;
            } catch (Exception e) {
                leader = null;
            }
        }
        return new ClusterView(settings.nodeId(), connected, leader, liveNodes(), current,
                List.copyOf(new TreeSet<>(recording)));
    }

    public String nodeId() {
        return settings.nodeId();
    }

    /** The live nodes as this node's cache of ZooKeeper has them (no round trip: for every request of issue 13). */
    public List<NodeInfo> nodes() {
        return liveNodes();
    }

    public boolean isLeader() {
        return latch.hasLeadership();
    }

    public boolean connected() {
        return connected;
    }

    /** The node recording {@code camera} according to the last assignment read, or null. */
    public String nodeOf(String camera) {
        return current.nodeOf(camera);
    }

    /** Assignments this node wrote as leader (a metric). */
    public long assignmentsWritten() {
        return assignmentsWritten.get();
    }

    /** Placement passes this node made as leader, whether or not they changed anything (a metric). */
    public long placements() {
        return placements.get();
    }

    /** ZooKeeper sessions this node lost (each one means the others took its cameras; a metric). */
    public long sessionsLost() {
        return sessionsLost.get();
    }

    /** The cameras this node records now. */
    public Set<String> recording() {
        return recording;
    }

    /** Dies as a killed process does: nothing handed over, the session ends (tests of failover). */
    void crash() {
        closed = true;
        thread.shutdownNow();
        client.close();
    }

    /** The ZooKeeper client (tests inject faults through it). */
    CuratorFramework client() {
        return client;
    }

    /**
     * Leaves the cluster. Leadership and the registration go first, so that the leader gives this node's cameras to
     * the others at once; then, while another node is up, this node follows the new assignment as usual (each camera
     * recorded here for one hand-over more, so that its new node records it first) and returns once it records
     * nothing, or after hand-over + session timeout. A clean stop thus makes a short duplicate, not a gap.
     */
    @Override
    public void close() {
        leaving = true;
        if (!connected) client.close(); // without ZooKeeper each recipe's close would retry for minutes
        closeQuietly(latch);
        closeQuietly(registration);
        if (connected && !recording.isEmpty() && liveNodes().stream().anyMatch(n -> !n.id().equals(nodeId()))) {
            LOG.info("cluster: {} leaves; handing its {} camera(s) over", nodeId(), recording.size());
            try {
                if (!drained.await(settings.handover().plus(settings.sessionTimeout()).toMillis(),
                        TimeUnit.MILLISECONDS)) {
                    LOG.warn("cluster: {} camera(s) not handed over in time; stopping them", recording.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            thread.submit(() -> closed = true).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            closed = true;
        }
        thread.shutdownNow();
        closeQuietly(latch);
        closeQuietly(camerasCache);
        signals.forEach(ClusterNode::closeQuietly);
        closeQuietly(cameraStates);
        closeQuietly(assignmentCache);
        closeQuietly(nodesCache);
        closeQuietly(registration);
        client.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("cluster: closing {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
