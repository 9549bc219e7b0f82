package org.vigie.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which node records which camera: the leader's decision, one znode ({@code /assignment}) that every node watches.
 * A camera absent from the map is recorded nowhere (no live node). Immutable.
 *
 * @param generation increases with every assignment the leaders write
 * @param leader     the node that wrote it
 * @param cameras    camera id to node id
 * @param departed   nodes whose session ended while they held cameras, until they have been back for the
 *                   rebalance delay: such a returning node receives no camera from the others before then (Helix's
 *                   delayed rebalance; kept here so that a new leader honours it too). A node never seen leave is
 *                   given its share at once (a cold start balances without waiting).
 */
public record Assignment(long generation, String leader, Map<String, String> cameras, Set<String> departed) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Nothing assigned yet. */
    public static final Assignment EMPTY = new Assignment(0, "", Map.of(), Set.of());

    public Assignment {
        Objects.requireNonNull(leader, "leader");
        cameras = Collections.unmodifiableMap(new TreeMap<>(cameras));
        departed = Collections.unmodifiableSet(new TreeSet<>(departed));
    }

    public Assignment(long generation, String leader, Map<String, String> cameras) {
        this(generation, leader, cameras, Set.of());
    }

    /** The node recording {@code camera}, or null. */
    public String nodeOf(String camera) {
        return cameras.get(camera);
    }

    /** The cameras given to {@code node}, sorted. */
    public Set<String> camerasOf(String node) {
        Set<String> out = new TreeSet<>();
        cameras.forEach((c, n) -> {
            if (n.equals(node)) out.add(c);
        });
        return out;
    }

    /** Whether both give every camera to the same node (generation and leader aside). */
    public boolean samePlacement(Assignment other) {
        return cameras.equals(other.cameras);
    }

    public byte[] toBytes() {
        ObjectNode n = JSON.createObjectNode();
        n.put("generation", generation);
        n.put("leader", leader);
        ObjectNode cs = n.putObject("cameras");
        cameras.forEach(cs::put);
        departed.forEach(n.putArray("departed")::add);
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads what {@link #toBytes} wrote; empty or null data is {@link #EMPTY}. */
    public static Assignment fromBytes(byte[] data) throws IOException {
        if (data == null || data.length == 0) return EMPTY;
        JsonNode n = JSON.readTree(data);
        if (n == null || !n.isObject() || !n.path("cameras").isObject()) {
            throw new IOException("not an assignment: " + new String(data, StandardCharsets.UTF_8));
        }
        Map<String, String> cameras = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.get("cameras").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            cameras.put(e.getKey(), e.getValue().asText());
        }
        Set<String> departed = new TreeSet<>();
        n.path("departed").forEach(d -> departed.add(d.asText()));
        return new Assignment(n.path("generation").asLong(), n.path("leader").asText(""), cameras, departed);
    }
}
