package org.vigie.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.VmsServer;
import org.vigie.testing.ApiClient;
import org.vigie.server.api.TestServers;

/**
 * Security review, Low findings of the API and the page, each end to end over HTTP: event searches and bookmarks
 * audited, a new password revoking the old sessions and keys, a camera's new address needing its password again,
 * camera addresses and user names hidden from operators, the page not framable.
 */
class LowFindingsTest {

    static final String PASSWORD = "operator-password-1";

    @TempDir
    static Path dir;

    static VmsServer server;
    static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dir, """

                  - { id: cam-a, url: 'rtsp://127.0.0.1:9/a', group: district-1, enabled: false }
                  - { id: cam-b, url: 'rtsp://127.0.0.1:9/b', group: district-2 }
                  - { id: cam-c, url: 'rtsp://127.0.0.1:9/c', group: district-2 }
                """);
        admin = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static ApiClient operator(String name) throws Exception {
        HttpResponse<String> r = admin.send("POST", "/api/v1/users", Map.of("username", name, "password", PASSWORD,
                "role", "operator", "cameras", List.of("cam-a", "cam-api")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new ApiClient(server.httpPort()).login(name, PASSWORD);
    }

    static JsonNode audit(String user, String action) throws Exception {
        return ApiClient.json(admin.get("/api/v1/audit?user=" + user + "&action=" + action));
    }

    @Test
    void anEventSearchWithoutCameraIsAudited() throws Exception {
        ApiClient op = operator("events-op");
        assertThat(op.get("/api/v1/events").statusCode()).isEqualTo(200);
        JsonNode a = audit("events-op", "events.search");
        assertThat(a).as("a search of every granted camera is in the audit trail").hasSize(1);
        assertThat(a.get(0).toString()).contains("cameras");
    }

    @Test
    void bookmarksCreationAndDeletionAreAudited() throws Exception {
        ApiClient op = operator("bookmark-op");
        HttpResponse<String> r = op.send("POST", "/api/v1/bookmarks", Map.of("camera", "cam-a",
                "time", "2026-03-01T10:00:00Z", "title", "vol à l'arraché"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        long id = ApiClient.json(r).get("id").asLong();
        assertThat(op.send("DELETE", "/api/v1/bookmarks/" + id, null).statusCode()).isEqualTo(204);
        assertThat(audit("bookmark-op", "bookmark.create")).hasSize(1);
        assertThat(audit("bookmark-op", "bookmark.delete")).hasSize(1);
    }

    @Test
    void aPasswordChangeRevokesTheUsersTokensAndApiKeys() throws Exception {
        ApiClient op = operator("pw-op");
        HttpResponse<String> k = admin.send("POST", "/api/v1/users/pw-op/api-keys", Map.of("name", "wall"));
        assertThat(k.statusCode()).as(k.body()).isEqualTo(201);
        ApiClient key = new ApiClient(server.httpPort());
        key.token(ApiClient.json(k).get("key").asText());
        assertThat(op.get("/api/v1/me").statusCode()).isEqualTo(200);
        assertThat(key.get("/api/v1/me").statusCode()).isEqualTo(200);

        HttpResponse<String> u = admin.send("PUT", "/api/v1/users/pw-op", Map.of("password", "a-new-password-2"));
        assertThat(u.statusCode()).as(u.body()).isEqualTo(200);
        assertThat(op.get("/api/v1/me").statusCode()).as("the token of the old password").isEqualTo(401);
        assertThat(key.get("/api/v1/me").statusCode()).as("the API key of the old password").isEqualTo(401);
        assertThat(new ApiClient(server.httpPort()).login("pw-op", "a-new-password-2").get("/api/v1/me")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void aCameraMovedToAnotherAddressNeedsItsPasswordAgain() throws Exception {
        HttpResponse<String> c = admin.send("POST", "/api/v1/cameras", Map.of("id", "cam-api",
                "url", "rtsp://127.0.0.1:9/x", "username", "viewer", "password", "camera-secret", "enabled", false));
        assertThat(c.statusCode()).as(c.body()).isEqualTo(201);
        HttpResponse<String> moved = admin.send("PUT", "/api/v1/cameras/cam-api", Map.of(
                "url", "rtsp://127.0.0.2:9/x", "username", "viewer", "enabled", false));
        assertThat(moved.statusCode()).as("the stored password is not sent to a new address: %s", moved.body())
                .isEqualTo(400);
        assertThat(moved.body()).contains("password");
        HttpResponse<String> renamed = admin.send("PUT", "/api/v1/cameras/cam-api", Map.of("name", "Quai",
                "url", "rtsp://127.0.0.1:9/x", "username", "viewer", "enabled", false));
        assertThat(renamed.statusCode()).as("same address: the stored password is kept").isEqualTo(200);
        assertThat(ApiClient.json(renamed).get("hasPassword").asBoolean()).isTrue();
        HttpResponse<String> given = admin.send("PUT", "/api/v1/cameras/cam-api", Map.of(
                "url", "rtsp://127.0.0.2:9/x", "username", "viewer", "password", "camera-secret", "enabled", false));
        assertThat(given.statusCode()).as(given.body()).isEqualTo(200);
    }

    @Test
    void operatorsSeeNoCameraAddressNorUserName() throws Exception {
        HttpResponse<String> c = admin.send("POST", "/api/v1/cameras", Map.of("id", "cam-hidden",
                "url", "rtsp://127.0.0.2:9/x", "username", "viewer", "password", "camera-secret", "enabled", false));
        assertThat(c.statusCode()).as(c.body()).isEqualTo(201);
        HttpResponse<String> u = admin.send("POST", "/api/v1/users", Map.of("username", "cam-op", "password", PASSWORD,
                "role", "operator", "cameras", List.of("cam-hidden")));
        assertThat(u.statusCode()).as(u.body()).isEqualTo(201);
        ApiClient op = new ApiClient(server.httpPort()).login("cam-op", PASSWORD);
        for (JsonNode cam : List.of(ApiClient.json(op.get("/api/v1/cameras/cam-hidden")),
                ApiClient.json(op.get("/api/v1/cameras")).get(0))) {
            assertThat(cam.has("id")).isTrue();
            assertThat(cam.has("url") || cam.has("subUrl") || cam.has("onvif") || cam.has("username"))
                    .as("an operator sees no camera address nor user name: %s", cam).isFalse();
        }
        assertThat(ApiClient.json(admin.get("/api/v1/cameras/cam-hidden")).get("url").asText())
                .as("camera administrators still see it").isEqualTo("rtsp://127.0.0.2:9/x");
    }

    @Test
    void metricsShowAnIntegratorTheCamerasOfItsGrantsOnly() throws Exception {
        HttpResponse<String> u = admin.send("POST", "/api/v1/users", Map.of("username", "acme", "password", PASSWORD,
                "role", "integrator", "cameras", List.of("cam-c")));
        assertThat(u.statusCode()).as(u.body()).isEqualTo(201);
        ApiClient acme = new ApiClient(server.httpPort()).login("acme", PASSWORD);
        TestServers.await("both cameras in the metrics", java.time.Duration.ofSeconds(20), () -> {
            String all = admin.get("/metrics").body();
            return all.contains("camera=\"cam-b\"") && all.contains("camera=\"cam-c\"");
        });
        HttpResponse<String> m = acme.get("/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body()).contains("camera=\"cam-c\"").contains("vms_storage_free_bytes")
                .as("a camera outside the grants").doesNotContain("camera=\"cam-b\"");

        Footage.record(server, org.vigie.media.StreamKey.main("cam-a"), java.time.Instant.now().minusSeconds(300)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS), 5);
        JsonNode seenByAdmin = ApiClient.json(admin.get("/api/v1/storage")).get("volumes").get(0);
        JsonNode seenByAcme = ApiClient.json(acme.get("/api/v1/storage")).get("volumes").get(0);
        assertThat(seenByAdmin.get("segments").asLong()).isPositive();
        assertThat(seenByAcme.get("segments").asLong()).as("cam-a's recordings are outside acme's grants").isZero();
        assertThat(seenByAcme.get("recordingBytes").asLong()).isZero();
    }

    @Test
    void thePageCannotBeFramedByAnotherSite() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("frame-ancestors 'none'");
    }
}
