package org.vigie.server.api;

import org.vigie.testing.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.VmsServer;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.testing.Await;

/**
 * Acceptance, through the API alone: log in, add a simulated camera, see it record, read its state and metrics,
 * restart the server and find the camera still configured and recording. Real simulator on 127.0.0.1, real
 * GStreamer ingest, real files.
 */
class CameraApiAcceptanceTest {

    @TempDir
    Path dir;

    @Test
    void cameraAddedThroughTheApiRecordsAndSurvivesARestart() throws Exception {
        try (CameraSimulator sim = CameraSimulator.start(0, 1, SimulatorOptions.defaults())) {
            String url = sim.url(sim.cameraIds().get(0)).toString();
            VmsServer server = TestServers.start(dir, "[]");
            try {
                ApiClient api = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
                HttpResponse<String> created = api.send("POST", "/api/v1/cameras", Map.of("id", "sim-1",
                        "name", "Quai Sud", "url", url, "group", "district-7"));
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                assertThat(ApiClient.json(created).get("source").asText()).isEqualTo("api");

                awaitRecording(api, 0);
                JsonNode state = ApiClient.json(api.get("/api/v1/cameras/sim-1/state"));
                assertThat(state.get("fps").asDouble()).isGreaterThan(5);
                assertThat(state.get("bitrate").asDouble()).isGreaterThan(10_000);
                assertThat(state.get("lastError").isNull()).isTrue();

                String metrics = api.get("/metrics").body();
                assertThat(sample(metrics, "vms_camera_frames_total", "sim-1")).isGreaterThan(0);
                assertThat(sample(metrics, "vms_recorder_frames_written_total", "sim-1")).isGreaterThan(0);
                assertThat(sample(metrics, "vms_camera_state", "sim-1\",state=\"streaming")).isEqualTo(1);
                assertThat(metrics).contains("vms_camera_bitrate_bits_per_second{camera=\"sim-1\"")
                        .contains("vms_storage_free_bytes{volume=").contains("vms_recorder_write_latency_seconds")
                        .contains("vms_viewers").contains("jvm_memory_used_bytes");
                // Issue 17: the capacity estimate of the recorded streams, kept through the camera added by the API.
                java.util.regex.Matcher load = java.util.regex.Pattern
                        .compile("(?m)^vms_capacity_ingest_load_ratio (\\S+)$").matcher(metrics);
                assertThat(load.find()).as("vms_capacity_ingest_load_ratio in /metrics").isTrue();
                assertThat(Double.parseDouble(load.group(1))).isGreaterThan(0).isLessThan(1);
                assertThat(metrics).contains("vms_capacity_heap_needed_bytes");

                JsonNode audit = ApiClient.json(api.get("/api/v1/audit?camera=sim-1&action=config.change"));
                assertThat(audit.size()).isEqualTo(1);
            } finally {
                server.close();
            }

            VmsServer again = TestServers.start(dir, "[]");
            try {
                ApiClient api = new ApiClient(again.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
                JsonNode cam = ApiClient.json(api.get("/api/v1/cameras/sim-1"));
                assertThat(cam.get("name").asText()).isEqualTo("Quai Sud");
                assertThat(cam.get("group").asText()).isEqualTo("district-7");
                assertThat(cam.get("source").asText()).isEqualTo("api");
                awaitRecording(api, 0);
                long before = ApiClient.json(api.get("/api/v1/cameras/sim-1/state")).get("recording")
                        .get("framesWritten").asLong();
                awaitRecording(api, before);
                assertThat(ApiClient.json(api.get("/api/v1/audit/verify")).get("intact").asBoolean()).isTrue();
                assertThat(api.send("POST", "/api/v1/cameras/sim-1/disable", null).statusCode()).isEqualTo(200);
                assertThat(ApiClient.json(api.get("/api/v1/cameras/sim-1/state")).get("state").asText())
                        .isEqualTo("disabled");
            } finally {
                again.close();
            }
        }
    }

    /** Waits until the camera streams and more than {@code frames} frames are in published fragments. */
    private static void awaitRecording(ApiClient api, long frames) throws Exception {
        Await.until("sim-1 recording beyond " + frames + " frames", Duration.ofSeconds(30), () -> {
            JsonNode s = ApiClient.json(api.get("/api/v1/cameras/sim-1/state"));
            return s.get("state").asText().equals("streaming")
                    && s.get("recording").get("framesWritten").asLong() > frames;
        });
    }

    /** The value of the first sample of {@code name} whose labels start with camera="{@code labels}". */
    static double sample(String exposition, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{camera=\"" + labels + "\"") + "[^}]*} (\\S+)$")
                .matcher(exposition);
        if (!m.find()) throw new AssertionError("no sample " + name + " for " + labels + " in:\n" + exposition);
        return Double.parseDouble(m.group(1));
    }
}
