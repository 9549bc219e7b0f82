package org.vigie.server.api;

import org.vigie.testing.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.camera.CameraEvent;
import org.vigie.server.VmsServer;
import org.vigie.server.http.Route;

/**
 * Authentication and rights through real HTTP on 127.0.0.1: every route but the public ones refuses anonymous
 * callers, the OpenAPI document lists exactly the route table, an operator is confined to the cameras of its
 * district (403 everywhere else, list filtered) and every access, granted or denied, lands in the audit trail.
 * Cameras are configured disabled: no ingest is needed to test rights.
 */
class ApiSecurityTest {

    @TempDir
    static Path dir;

    static VmsServer server;
    static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dir, """

                  - { id: cam-a, url: 'rtsp://127.0.0.1:9/a', group: district-1, enabled: false }
                  - { id: cam-b, url: 'rtsp://127.0.0.1:9/b', group: district-2, enabled: false }
                """);
        admin = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String concrete(Route r) {
        return r.template().replaceAll("\\{[A-Za-z]+}", "x1");
    }

    @Test
    void everyRouteButHealthzAndLoginRequiresAuthentication() throws Exception {
        ApiClient anonymous = new ApiClient(server.httpPort());
        List<String> checked = new ArrayList<>();
        for (Route r : server.router().routes()) {
            String id = r.method() + " " + r.template();
            if (ApiRoutes.PUBLIC.contains(id)) {
                assertThat(r.isPublic()).as(id).isTrue();
                continue;
            }
            assertThat(r.isPublic()).as(id + " is public but not listed in ApiRoutes.PUBLIC").isFalse();
            String body = r.method().name().equals("GET") || r.method().name().equals("DELETE") ? null : "{}";
            for (String bearer : new String[] {null, "vt_forged-token", "vk_forged-key", "garbage"}) {
                HttpResponse<String> res = anonymous.raw(r.method().name(), concrete(r), body, bearer);
                assertThat(res.statusCode()).as(id + " with " + bearer + ": " + res.body()).isEqualTo(401);
                assertThat(res.headers().firstValue("WWW-Authenticate")).isPresent();
            }
            checked.add(id);
        }
        assertThat(checked).hasSizeGreaterThan(25);
        assertThat(anonymous.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void openApiDocumentListsExactlyTheRouteTable() throws Exception {
        JsonNode doc = ApiClient.json(admin.get("/api/v1/openapi.json"));
        Set<String> documented = new HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (String m : List.of("get", "post", "put", "delete", "patch")) {
                if (p.getValue().has(m)) documented.add(m.toUpperCase() + " " + p.getKey());
            }
        }
        Set<String> routes = new HashSet<>(server.router().describe());
        assertThat(documented).isEqualTo(routes);
        for (Route r : server.router().routes()) {
            JsonNode op = doc.get("paths").get(r.template()).get(r.method().name().toLowerCase());
            String perm = r.permission() == null ? null : r.permission().name().toLowerCase();
            assertThat(op.path("x-vigie-permission").asText(null)).as(r.template()).isEqualTo(perm);
        }
    }

    @Test
    void operatorIsConfinedToItsDistrictAndEveryAccessIsAudited() throws Exception {
        assertThat(admin.send("POST", "/api/v1/users", Map.of("username", "op1", "password", "op1-password",
                "role", "operator", "groups", List.of("district-1"))).statusCode()).isEqualTo(201);
        server.events().append(new CameraEvent("cam-a", Instant.now().minusSeconds(60), "RuleEngine/Motion",
                CameraEvent.Type.MOTION, true, "", "<m/>"));
        server.events().append(new CameraEvent("cam-b", Instant.now().minusSeconds(50), "RuleEngine/Motion",
                CameraEvent.Type.MOTION, true, "", "<m/>"));
        ApiClient op = new ApiClient(server.httpPort()).login("op1", "op1-password");

        JsonNode list = ApiClient.json(op.get("/api/v1/cameras"));
        assertThat(list.findValuesAsText("id")).containsExactly("cam-a");
        assertThat(op.get("/api/v1/cameras/cam-a").statusCode()).isEqualTo(200);
        assertThat(op.get("/api/v1/cameras/cam-a/state").statusCode()).isEqualTo(200);
        JsonNode events = ApiClient.json(op.get("/api/v1/events"));
        assertThat(events.findValuesAsText("camera")).containsExactly("cam-a");
        assertThat(op.get("/api/v1/events?camera=cam-a").statusCode()).isEqualTo(200);

        List<String> denied = List.of("/api/v1/cameras/cam-b", "/api/v1/cameras/cam-b/state",
                "/api/v1/events?camera=cam-b", "/api/v1/bookmarks?camera=cam-b");
        for (String path : denied) {
            HttpResponse<String> r = op.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(ApiClient.json(r).get("error").asText()).contains("cam-b");
        }
        assertThat(op.send("POST", "/api/v1/bookmarks", Map.of("camera", "cam-b", "time", "2026-01-01T00:00:00Z",
                "title", "x")).statusCode()).isEqualTo(403);
        assertThat(op.send("POST", "/api/v1/cameras/cam-a/disable", null).statusCode()).isEqualTo(403);
        assertThat(op.get("/api/v1/audit").statusCode()).isEqualTo(403);
        assertThat(op.get("/api/v1/users").statusCode()).isEqualTo(403);

        JsonNode deniedRecords = ApiClient.json(admin.get("/api/v1/audit?user=op1&action=access.denied&limit=1000"));
        List<String> deniedCams = deniedRecords.findValuesAsText("camera");
        assertThat(deniedCams.stream().filter("cam-b"::equals).count()).isEqualTo(denied.size());
        assertThat(deniedRecords.size()).isEqualTo(denied.size() + 4); // + bookmark, disable, audit, users
        JsonNode reads = ApiClient.json(admin.get("/api/v1/audit?user=op1&camera=cam-a&limit=1000"));
        assertThat(reads.findValuesAsText("action")).contains("camera.read", "events.search");
        assertThat(ApiClient.json(admin.get("/api/v1/audit?user=op1&action=auth.login")).size()).isEqualTo(1);
        JsonNode verify = ApiClient.json(admin.get("/api/v1/audit/verify"));
        assertThat(verify.get("intact").asBoolean()).as(verify.toString()).isTrue();
    }

    @Test
    void repeatedFailuresLockTheAccountEvenForTheRightPassword() throws Exception {
        admin.send("POST", "/api/v1/users", Map.of("username", "victim", "password", "victim-password",
                "role", "operator"));
        ApiClient c = new ApiClient(server.httpPort());
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = c.send("POST", "/api/v1/auth/login", Map.of("username", "victim",
                    "password", "wrong-" + i));
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("invalid username or password");
        }
        HttpResponse<String> locked = c.send("POST", "/api/v1/auth/login", Map.of("username", "victim",
                "password", "victim-password"));
        assertThat(locked.statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = c.send("POST", "/api/v1/auth/login", Map.of("username", "nobody",
                "password", "whatever-1"));
        assertThat(unknown.body()).contains("invalid username or password");
        assertThat(locked.body()).as("a locked account answers like an unknown name").isEqualTo(unknown.body());
        assertThat(ApiClient.json(admin.get("/api/v1/users/victim")).get("lockedUntil").isNull()).isFalse();
        assertThat(ApiClient.json(admin.get("/api/v1/audit?user=victim&action=auth.login-failed")).size())
                .isEqualTo(4);
    }

    @Test
    void integratorApiKeyReadsButCannotChange() throws Exception {
        admin.send("POST", "/api/v1/users", Map.of("username", "acme", "password", "acme-password-1",
                "role", "integrator", "cameras", List.of("cam-b")));
        HttpResponse<String> created = admin.send("POST", "/api/v1/users/acme/api-keys", Map.of("name", "sync"));
        assertThat(created.statusCode()).isEqualTo(201);
        String key = ApiClient.json(created).get("key").asText();
        assertThat(key).startsWith("vk_");
        assertThat(admin.get("/api/v1/users/acme/api-keys").body()).doesNotContain(key);
        assertThat(admin.get("/api/v1/audit?limit=1000").body()).doesNotContain(key);

        ApiClient acme = new ApiClient(server.httpPort());
        acme.token(key);
        assertThat(ApiClient.json(acme.get("/api/v1/cameras")).findValuesAsText("id")).containsExactly("cam-b");
        assertThat(acme.get("/metrics").statusCode()).isEqualTo(200);
        assertThat(acme.send("POST", "/api/v1/cameras", Map.of("id", "x", "url", "rtsp://127.0.0.1:9/x"))
                .statusCode()).isEqualTo(403);
        String keyId = ApiClient.json(created).get("id").asText();
        assertThat(admin.send("DELETE", "/api/v1/users/acme/api-keys/" + keyId, null).statusCode()).isEqualTo(204);
        assertThat(acme.get("/api/v1/cameras").statusCode()).isEqualTo(401);
    }

    @Test
    void logoutRevokesTheToken() throws Exception {
        ApiClient c = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
        assertThat(c.get("/api/v1/me").statusCode()).isEqualTo(200);
        assertThat(c.send("POST", "/api/v1/auth/logout", null).statusCode()).isEqualTo(204);
        assertThat(c.get("/api/v1/me").statusCode()).isEqualTo(401);
    }

    @Test
    void cameraPasswordIsWriteOnly() throws Exception {
        String secret = "s3cret-camera-pw";
        HttpResponse<String> r = admin.send("POST", "/api/v1/cameras", Map.of("id", "cam-pw",
                "url", "rtsp://127.0.0.1:9/pw", "username", "viewer", "password", secret, "enabled", false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.body()).doesNotContain(secret).contains("\"hasPassword\":true");
        HttpResponse<String> put = admin.send("PUT", "/api/v1/cameras/cam-pw", Map.of("url",
                "rtsp://127.0.0.1:9/pw2", "username", "viewer", "enabled", false));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(server.cameras().get("cam-pw").orElseThrow().config().password()).isEqualTo(secret);
        assertThat(admin.get("/api/v1/cameras").body()).doesNotContain(secret);
        assertThat(admin.get("/api/v1/audit?limit=1000").body()).doesNotContain(secret);
        assertThat(admin.send("PUT", "/api/v1/cameras/cam-a", Map.of("url", "rtsp://127.0.0.1:9/a"))
                .statusCode()).isEqualTo(409);
        assertThat(admin.send("DELETE", "/api/v1/cameras/cam-pw", null).statusCode()).isEqualTo(204);
        assertThat(admin.get("/api/v1/cameras/cam-pw").statusCode()).isEqualTo(404);
    }
}
