package org.vigie.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of the cameras each node records, as that node publishes it: an ephemeral znode
 * {@code /states/<node-id>} holding {@code {"<camera>": {"state": "streaming", "since": <epoch ms>}, ...}} for the
 * cameras the node records, rewritten by its owner when a state changes ({@link #publish}) and read by every node
 * from a cache ({@link #of}). Ephemeral: a node that is gone publishes nothing, so its cameras read as unknown
 * until another node records them. Small (about 60 bytes a camera: 400 cameras make 24 KB, below ZooKeeper's 1 MB)
 * and rare (a state changes when a camera connects, fails or reconnects, not at each frame).
 *
 * <p>Thread-safe. {@link #publish} never blocks (Curator writes in the background).
 */
public final class CameraStates implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CameraStates.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String STATES = "/states";

    /** A camera's state on the node that records it. */
    public record State(String node, String state, Instant since) {
    }

    private final String self;
    private final PersistentNode mine;
    private final CuratorCache cache;
    /** node -> camera -> state, decoded once per change. */
    private final Map<String, Map<String, State>> byNode = new ConcurrentHashMap<>();
    private Map<String, State> published = Map.of();

    CameraStates(CuratorFramework client, String self) {
        this.self = self;
        this.mine = new PersistentNode(client, CreateMode.EPHEMERAL, false, STATES + "/" + self,
                "{}".getBytes(StandardCharsets.UTF_8));
        this.cache = CuratorCache.build(client, STATES);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> decode(after))
                .forInitialized(() -> cache.stream().forEach(this::decode))
                .forDeletes(gone -> byNode.remove(node(gone)))
                .build());
    }

    void start() {
        mine.start();
        cache.start();
    }

    private static String node(ChildData d) {
        String p = d.getPath();
        return p.length() > STATES.length() + 1 ? p.substring(STATES.length() + 1) : null;
    }

    private void decode(ChildData d) {
        String node = node(d);
        if (node == null || d.getData() == null) return;
        try {
            JsonNode root = JSON.readTree(d.getData());
            Map<String, State> m = new TreeMap<>();
            root.fields().forEachRemaining(e -> m.put(e.getKey(), new State(node, e.getValue().path("state").asText(),
                    e.getValue().hasNonNull("since") ? Instant.ofEpochMilli(e.getValue().get("since").asLong()) : null)));
            byNode.put(node, Map.copyOf(m));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cluster: unreadable camera states of {} ({})", node, e.toString());
        }
    }

    /**
     * Publishes the states of the cameras this node records (camera -> state); written only when it differs from
     * the last published.
     */
    public synchronized void publish(Map<String, State> states) {
        if (states.equals(published)) return;
        ObjectNode root = JSON.createObjectNode();
        new TreeMap<>(states).forEach((camera, s) -> {
            ObjectNode o = root.putObject(camera);
            o.put("state", s.state());
            if (s.since() != null) o.put("since", s.since().toEpochMilli());
        });
        try {
            mine.setData(root.toString().getBytes(StandardCharsets.UTF_8));
            published = Map.copyOf(states);
        } catch (Exception e) {
            LOG.debug("cluster: camera states not published yet ({}); next time", e.toString());
        }
    }

    /** The state {@code node} published for {@code camera}, if it did. */
    public Optional<State> of(String node, String camera) {
        Map<String, State> m = byNode.get(node);
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(camera));
    }

    /** Every camera state {@code node} published. */
    public Map<String, State> of(String node) {
        return byNode.getOrDefault(node, Map.of());
    }

    String self() {
        return self;
    }

    @Override
    public void close() {
        cache.close();
        try {
            mine.close();
        } catch (IOException e) {
            LOG.debug("cluster: closing the camera states: {}", e.toString());
        }
    }
}
