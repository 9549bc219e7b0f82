package org.vigie.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.StreamKey;
import org.vigie.testing.StreamClient;
import org.vigie.server.VmsServer;
import org.vigie.testing.ApiClient;
import org.vigie.server.api.TestServers;

/**
 * Security review, Low: a WebSocket {@code seek} shows another part of the recording, so it is audited with what
 * it shows; an archive channel opened with {@code thenLive} goes live only with the live right as it is at the
 * live edge (refused and audited as a denial otherwise). Over a real WebSocket on recorded footage.
 */
class ViewsAuditedTest {

    static final String PASSWORD = "operator-password-1";

    @TempDir
    static Path dir;

    static VmsServer server;
    static ApiClient admin;
    static Instant start;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dir, """

                  - { id: cam-a, url: 'rtsp://127.0.0.1:9/a', group: district-1, enabled: false }
                """);
        admin = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
        start = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
        Footage.record(server, StreamKey.main("cam-a"), start, 30);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String operator(String name) throws Exception {
        HttpResponse<String> r = admin.send("POST", "/api/v1/users", Map.of("username", name, "password", PASSWORD,
                "role", "operator", "cameras", List.of("cam-a")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new ApiClient(server.httpPort()).login(name, PASSWORD).token();
    }

    static URI streamUri() {
        return URI.create("ws://127.0.0.1:" + server.httpPort() + "/api/v1/stream");
    }

    static JsonNode audit(String user, String action) throws Exception {
        return ApiClient.json(admin.get("/api/v1/audit?user=" + user + "&action=" + action));
    }

    @Test
    void aSeekIsAuditedWithWhatItShows() throws Exception {
        String token = operator("seeker");
        try (StreamClient c = StreamClient.connect(streamUri(), "Bearer " + token)) {
            c.open(1, "cam-a", "archive", "\"from\":\"" + start + "\"");
            TestServers.await("opened", Duration.ofSeconds(10), () -> !c.events("opened", 1).isEmpty());
            c.send("{\"op\":\"seek\",\"channel\":1,\"to\":\"" + start.plusSeconds(20) + "\"}");
            TestServers.await("the seek audited", Duration.ofSeconds(10),
                    () -> audit("seeker", "view.archive").size() == 2);
        }
        JsonNode views = audit("seeker", "view.archive");
        assertThat(views).anySatisfy(v -> assertThat(v.path("detail").asText()).contains("\"start\":\"seek\"")
                .contains("\"from\":\"" + start.plusSeconds(20) + "\""));
    }

    @Test
    void thenLiveGoesLiveOnlyWithTheLiveRightAsItIsAtTheLiveEdge() throws Exception {
        String token = operator("edge");
        try (StreamClient c = StreamClient.connect(streamUri(), "Bearer " + token)) {
            c.open(1, "cam-a", "archive", "\"from\":\"" + start.plusSeconds(27) + "\",\"thenLive\":true");
            TestServers.await("opened", Duration.ofSeconds(10), () -> !c.events("opened", 1).isEmpty());
            HttpResponse<String> r = admin.send("PUT", "/api/v1/users/edge", Map.of("cameras", List.of()));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            TestServers.await("the channel refused at the live edge", Duration.ofSeconds(20),
                    () -> !c.events("error", 1).isEmpty());
            assertThat(c.events("error", 1).get(0).path("status").asInt()).isEqualTo(403);
        }
        assertThat(audit("edge", "access.denied").toString()).as("the refusal audited").contains("live-edge");
        assertThat(audit("edge", "view.live")).as("never went live").isEmpty();
    }
}
