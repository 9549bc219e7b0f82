package org.vigie.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vigie.cluster.Assignment;
import org.vigie.cluster.ClusterView;
import org.vigie.cluster.NodeInfo;
import org.vigie.server.config.CameraConfig;

/** What GET /api/v1/cluster says of a view, and when a camera of the store counts as changed on another node. */
class ClusterResourceTest {

    static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    static NodeInfo node(String id) {
        return new NodeInfo(id, "http://" + id + ":8080", "rtsp://" + id + ":8554", 400_000, T);
    }

    @Test
    void nodesWithTheirStateCamerasAndTheLeader() {
        Assignment a = new Assignment(7, "rec-01", Map.of("cam-1", "rec-01", "cam-2", "rec-02", "cam-3", "rec-02"),
                Set.of("rec-02", "rec-03"));
        ClusterView v = new ClusterView("rec-01", true, "rec-01", List.of(node("rec-01"), node("rec-02")), a,
                List.of("cam-1"));
        Map<String, Object> body = ClusterResource.body(v);
        assertThat(body).containsEntry("clustered", true).containsEntry("self", "rec-01")
                .containsEntry("leader", "rec-01").containsEntry("generation", 7L)
                .containsEntry("recordingHere", List.of("cam-1"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) body.get("nodes");
        assertThat(nodes).extracting(n -> n.get("id") + ":" + n.get("state") + ":" + n.get("leader"))
                .containsExactly("rec-01:up:true", "rec-02:returning:false", "rec-03:down:false");
        assertThat(nodes.get(1).get("cameras")).isEqualTo(List.of("cam-2", "cam-3"));
    }

    @Test
    void aSingleNodeSaysItIsNotClustered() throws Exception {
        ClusterResource single = new ClusterResource(null);
        assertThat(single.routes()).extracting(r -> r.method() + " " + r.template() + " " + r.permission())
                .containsExactly("GET /api/v1/cluster CAMERA_ADMIN");
        assertThat(new String(single.get(null).body(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"clustered\":false}");
    }

    @Test
    void anOnvifCamerasResolvedStreamsAreNoChange() {
        CameraConfig stored = new CameraConfig("cam-1", "Gate", null, null, false, "u", "p", null, true, null,
                Duration.ofDays(30), URI.create("http://10.0.0.5/onvif/device_service"));
        CameraConfig resolved = stored.withStreams(URI.create("rtsp://10.0.0.5/main"), URI.create("rtsp://10.0.0.5/sub"));
        assertThat(ClusterCameras.sameEntry(resolved, stored)).isTrue();
        CameraConfig renamed = new CameraConfig("cam-1", "Gate 2", null, null, false, "u", "p", null, true, null,
                Duration.ofDays(30), URI.create("http://10.0.0.5/onvif/device_service"));
        assertThat(ClusterCameras.sameEntry(resolved, renamed)).isFalse();
        CameraConfig plain = new CameraConfig("cam-2", "Hall", URI.create("rtsp://10.0.0.6/a"), null, false, null,
                null, null, true, null, Duration.ofDays(30), null);
        CameraConfig moved = plain.withStreams(URI.create("rtsp://10.0.0.7/a"), null);
        assertThat(ClusterCameras.sameEntry(plain, moved)).isFalse();
    }
}
