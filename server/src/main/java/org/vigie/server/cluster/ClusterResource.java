package org.vigie.server.cluster;

import static io.netty.handler.codec.http.HttpMethod.GET;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vigie.cluster.ClusterNode;
import org.vigie.cluster.ClusterView;
import org.vigie.cluster.NodeInfo;
import org.vigie.server.auth.Permission;
import org.vigie.server.http.ApiResponse;
import org.vigie.server.http.RequestContext;
import org.vigie.server.http.Route;

/**
 * {@code GET /api/v1/cluster}: the cluster as this node sees it (its nodes and their state, which cameras each
 * records, the leader), for administrators: it names every camera and every node's address. A single node answers
 * {@code {"clustered": false}} (the route exists on every server, so that a monitoring tool may ask any of them).
 */
public final class ClusterResource {

    private final ClusterNode node;
    private final CameraWhereabouts whereabouts;

    /** @param node null on a single node */
    public ClusterResource(ClusterNode node) {
        this(node, CameraWhereabouts.SINGLE);
    }

    /** @param whereabouts the state each node publishes of the cameras it records */
    public ClusterResource(ClusterNode node, CameraWhereabouts whereabouts) {
        this.node = node;
        this.whereabouts = whereabouts;
    }

    public List<Route> routes() {
        return List.of(new Route(GET, "/api/v1/cluster", Permission.CAMERA_ADMIN,
                "The cluster: nodes, their state and cameras, the leader", this::get));
    }

    ApiResponse get(RequestContext ctx) {
        return ApiResponse.ok(node == null ? Map.of("clustered", false) : body(node.view(), whereabouts));
    }

    static Map<String, Object> body(ClusterView v) {
        return body(v, CameraWhereabouts.SINGLE);
    }

    /**
     * Each node's entry lists its cameras and {@code cameraStates}: camera -> the state that node publishes of it
     * ({@code streaming}, {@code retrying}, ...; a camera it was given but has not published yet is absent).
     */
    static Map<String, Object> body(ClusterView v, CameraWhereabouts whereabouts) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clustered", true);
        out.put("self", v.self());
        out.put("connected", v.connected());
        out.put("leader", v.leader());
        out.put("generation", v.assignment().generation());
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (NodeInfo n : v.nodes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.id());
            m.put("state", v.assignment().departed().contains(n.id()) ? "returning" : "up");
            m.put("leader", n.id().equals(v.leader()));
            m.put("api", n.api());
            m.put("rtsp", n.rtsp());
            m.put("capacityKbps", n.capacityKbps());
            m.put("cameras", List.copyOf(v.assignment().camerasOf(n.id())));
            Map<String, String> states = new java.util.TreeMap<>();
            whereabouts.statesOf(n.id()).forEach((camera, s) -> states.put(camera, s.state()));
            m.put("cameraStates", states);
            nodes.add(m);
        }
        for (String gone : v.assignment().departed()) {
            if (v.nodes().stream().noneMatch(n -> n.id().equals(gone))) {
                nodes.add(Map.of("id", gone, "state", "down", "leader", false, "cameras", List.of()));
            }
        }
        out.put("nodes", nodes);
        out.put("cameras", v.assignment().cameras());
        out.put("recordingHere", v.recording());
        return out;
    }
}
