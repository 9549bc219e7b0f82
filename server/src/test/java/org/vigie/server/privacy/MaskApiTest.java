package org.vigie.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.base.privacy.MaskSet;
import org.vigie.base.privacy.PrivacyMask;
import org.vigie.playback.MaskLift;
import org.vigie.playback.MaskRefusedException;
import org.vigie.server.VmsServer;
import org.vigie.testing.ApiClient;
import org.vigie.server.api.TestServers;
import org.vigie.server.auth.Principal;
import org.vigie.server.auth.Role;
import org.vigie.server.config.CameraConfig;

/**
 * Issue 14 through real HTTP on 127.0.0.1: {@code /api/v1/cameras/{id}/masks} (who reads, who writes, every version
 * kept, every change audited with before and after, clear 400s that change nothing), the per-camera {@code unmask}
 * grant of the users' API, and the lift decision every path out of the server asks ({@link MaskDecision}): lifted
 * only with the right and a reason, audited; permanent masks never, administrators included.
 *
 * <p>Users: {@code op1} (operator, district-1: sees cam-a), {@code sup} (supervisor, district-1, unmask on cam-a),
 * {@code int} (integrator, district-1: reads cameras, watches nothing), {@code dist} (supervisor, districts 1 and 2,
 * unmask on district-1).
 */
class MaskApiTest {

    @TempDir
    static Path dir;

    static VmsServer server;
    static ApiClient admin;

    static final Map<String, Object> DOOR = Map.of("id", "door", "kind", "permanent",
            "polygon", List.of(List.of(0.0, 0.0), List.of(0.5, 0.0), List.of(0.5, 0.5), List.of(0.0, 0.5)));
    static final Map<String, Object> YARD = Map.of("id", "yard", "kind", "liftable",
            "polygon", List.of(List.of(0.5, 0.5), List.of(1.0, 0.5), List.of(1.0, 1.0)));

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dir, """

                  - { id: cam-a, url: 'rtsp://127.0.0.1:9/a', group: district-1, enabled: false }
                  - { id: cam-b, url: 'rtsp://127.0.0.1:9/b', group: district-2, enabled: false }
                  - { id: cam-c, url: 'rtsp://127.0.0.1:9/c', group: district-1, enabled: false }
                  - { id: cam-d, url: 'rtsp://127.0.0.1:9/d', group: district-1, enabled: false }
                  - { id: cam-e, url: 'rtsp://127.0.0.1:9/e', group: district-2, enabled: false }
                """);
        admin = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
        user("op1", "operator", List.of());
        user("sup", "supervisor", List.of("cam-a"));
        user("int", "integrator", List.of());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static void user(String name, String role, List<String> unmask) throws Exception {
        HttpResponse<String> r = admin.send("POST", "/api/v1/users", Map.of("username", name, "password",
                name + "-password-1", "role", role, "groups", List.of("district-1"), "unmask", unmask));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static ApiClient as(String name) throws Exception {
        return new ApiClient(server.httpPort()).login(name, name + "-password-1");
    }

    private static HttpResponse<String> put(ApiClient c, String camera, Object... masks) throws Exception {
        return c.send("PUT", "/api/v1/cameras/" + camera + "/masks", Map.of("masks", List.of(masks)));
    }

    @Test
    void everyChangeIsANewVersionKeptWithItsAuthorAndAuditedWithBeforeAndAfter() throws Exception {
        assertThat(ApiClient.json(admin.get("/api/v1/cameras/cam-c/masks")).get("version").asLong())
                .as("a camera never masked").isZero();
        HttpResponse<String> v1 = put(admin, "cam-c", DOOR);
        assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);
        assertThat(ApiClient.json(v1).get("version").asLong()).isEqualTo(1);
        HttpResponse<String> v2 = put(admin, "cam-c", DOOR, YARD);
        assertThat(v2.statusCode()).as(v2.body()).isEqualTo(200);

        JsonNode now = ApiClient.json(as("op1").get("/api/v1/cameras/cam-c/masks"));
        assertThat(now.get("version").asLong()).isEqualTo(2);
        assertThat(now.get("masks").findValuesAsText("id")).containsExactly("door", "yard");
        assertThat(now.get("masks").get(1).get("kind").asText()).isEqualTo("liftable");
        assertThat(now.get("masks").get(0).get("polygon").toString()).isEqualTo("[[0.0,0.0],[0.5,0.0],[0.5,0.5],[0.0,0.5]]");
        assertThat(server.cameraMasks().current("cam-c").version()).as("the paths' cache").isEqualTo(2);

        JsonNode history = ApiClient.json(admin.get("/api/v1/cameras/cam-c/masks/history")).get("versions");
        assertThat(history.size()).isEqualTo(2);
        assertThat(history.get(0).get("version").asLong()).isEqualTo(1);
        assertThat(history.get(0).get("changedBy").asText()).isEqualTo("admin");
        assertThat(history.get(0).get("masks").findValuesAsText("id")).containsExactly("door");
        assertThat(history.get(0).get("validUntil").asText()).isEqualTo(history.get(1).get("validFrom").asText());
        assertThat(history.get(1).get("validUntil").isNull()).as("in force now").isTrue();

        JsonNode audit = ApiClient.json(admin.get("/api/v1/audit?camera=cam-c&action=masks.change"));
        assertThat(audit.size()).isEqualTo(2);
        JsonNode last = detail(audit.get(1));
        assertThat(last.get("before").get("version").asLong()).isEqualTo(1);
        assertThat(last.get("before").get("masks").findValuesAsText("id")).containsExactly("door");
        assertThat(last.get("after").get("version").asLong()).isEqualTo(2);
        assertThat(last.get("after").get("masks").findValuesAsText("id")).containsExactly("door", "yard");
    }

    @Test
    void viewersOfTheCameraReadTheMasksAndOnlyAdministratorsChangeThemOrReadTheHistory() throws Exception {
        ApiClient op1 = as("op1");
        assertThat(op1.get("/api/v1/cameras/cam-a/masks").statusCode()).isEqualTo(200);
        assertThat(op1.get("/api/v1/cameras/cam-b/masks").statusCode()).as("not granted").isEqualTo(403);
        assertThat(as("int").get("/api/v1/cameras/cam-a/masks").statusCode()).as("reads cameras, watches none")
                .isEqualTo(403);
        assertThat(put(op1, "cam-a", DOOR).statusCode()).isEqualTo(403);
        assertThat(op1.get("/api/v1/cameras/cam-a/masks/history").statusCode()).isEqualTo(403);
        assertThat(admin.get("/api/v1/cameras/nope/masks").statusCode()).isEqualTo(404);
        assertThat(ApiClient.json(as("sup").get("/api/v1/cameras/cam-a/masks")).get("unmask").asBoolean())
                .as("sup's per-camera grant").isTrue();
        assertThat(ApiClient.json(op1.get("/api/v1/cameras/cam-a/masks")).get("unmask").asBoolean()).isFalse();
        assertThat(ApiClient.json(admin.get("/api/v1/users/sup")).get("unmask").toString()).isEqualTo("[\"cam-a\"]");
    }

    @Test
    void aWrongMaskIsAClear400AndChangesNothing() throws Exception {
        assertThat(put(admin, "cam-b", DOOR).statusCode()).isEqualTo(200);
        long before = ApiClient.json(admin.get("/api/v1/cameras/cam-b/masks")).get("version").asLong();
        Map<String, String> cases = Map.of(
                "{\"masks\":[{\"id\":\"a\",\"kind\":\"permanent\",\"polygon\":[[0,0],[1.5,0],[1,1]]}]}",
                "'masks[0].polygon[1]': x and y lie within 0..1",
                "{\"masks\":[{\"id\":\"a\",\"kind\":\"permanent\",\"polygon\":[[0,0],[1,1]]}]}",
                "'masks[0].polygon' must be an array of 3 to 64 points",
                "{\"masks\":[{\"id\":\"a\",\"kind\":\"secret\",\"polygon\":[[0,0],[1,0],[1,1]]}]}",
                "'masks[0].kind' must be 'permanent'",
                "{\"masks\":[{\"id\":\"a\",\"kind\":\"liftable\",\"polygon\":[[0,0],[1,0],[1,1]]},"
                        + "{\"id\":\"a\",\"kind\":\"liftable\",\"polygon\":[[0,0],[1,0],[1,1]]}]}",
                "'masks[1].id': 'a' is used twice",
                "{\"masks\":[{\"id\":\"a\",\"kind\":\"liftable\",\"polygon\":[[0,-0.1],[1,0],[1,1]]}]}",
                "'masks[0].polygon[0]': x and y lie within 0..1",
                "{}", "field 'masks' is required");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> r = admin.send("PUT", "/api/v1/cameras/cam-b/masks", c.getKey());
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(ApiClient.json(r).get("error").asText()).as(c.getKey()).contains(c.getValue());
        }
        assertThat(ApiClient.json(admin.get("/api/v1/cameras/cam-b/masks")).get("version").asLong()).isEqualTo(before);
        assertThat(ApiClient.json(admin.get("/api/v1/cameras/cam-b/masks/history")).get("versions").size())
                .isEqualTo(1);
    }

    @Test
    void liftableMasksAreLiftedOnlyWithTheRightAndAReasonAndPermanentOnesNever() throws Exception {
        assertThat(put(admin, "cam-a", DOOR, YARD).statusCode()).isEqualTo(200);
        MaskDecision decision = server.maskDecision();
        CameraConfig camA = server.cameras().get("cam-a").orElseThrow().config();
        Principal sup = principal("sup");
        Principal op1 = principal("op1");
        Principal adminUser = principal("admin");
        Map<String, Object> via = Map.of("via", "test");

        MaskSet asked = decision.inForce(sup, camA, new MaskLift(true, "case 2026-117: the yard"), via);
        assertThat(asked.masks()).extracting(PrivacyMask::id).as("the permanent mask stays").containsExactly("door");
        assertThat(decision.inForce(sup, camA, MaskLift.NONE, via).masks()).extracting(PrivacyMask::id)
                .as("no lift asked").containsExactly("door", "yard");
        assertThatThrownBy(() -> decision.inForce(sup, camA, new MaskLift(true, "  "), via))
                .isInstanceOf(MaskRefusedException.class).hasMessageContaining("needs a 'reason'");
        assertThatThrownBy(() -> decision.inForce(op1, camA, new MaskLift(true, "curious"), via))
                .isInstanceOf(MaskRefusedException.class).hasMessageContaining("no unmask right on camera 'cam-a'");
        assertThat(decision.inForce(adminUser, camA, new MaskLift(true, "audit of the yard"), via).masks())
                .extracting(PrivacyMask::id).as("administrators too: permanent never lifted").containsExactly("door");
        assertThatThrownBy(() -> MaskLift.of("permanent", "please")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("permanent masks are never lifted");

        JsonNode lifts = ApiClient.json(admin.get("/api/v1/audit?camera=cam-a&action=masks.lift"));
        assertThat(lifts.findValuesAsText("user")).containsExactly("sup", "admin");
        JsonNode d = detail(lifts.get(0));
        assertThat(d.get("reason").asText()).isEqualTo("case 2026-117: the yard");
        assertThat(d.get("lifted").toString()).isEqualTo("[\"yard\"]");
        assertThat(d.get("kept").toString()).isEqualTo("[\"door\"]");
        assertThat(d.get("via").asText()).isEqualTo("test");
        JsonNode denied = ApiClient.json(admin.get("/api/v1/audit?camera=cam-a&action=access.denied&limit=1000"));
        assertThat(denied.findValuesAsText("user")).contains("sup", "op1");
    }

    @Test
    void theUnmaskGrantIsChangedThroughTheUsersApiAndTakesEffectAtOnce() throws Exception {
        user("op2", "operator", List.of());
        assertThat(ApiClient.json(as("op2").get("/api/v1/cameras/cam-a/masks")).get("unmask").asBoolean()).isFalse();
        HttpResponse<String> r = admin.send("PUT", "/api/v1/users/op2", Map.of("unmask", List.of("cam-a")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(ApiClient.json(as("op2").get("/api/v1/cameras/cam-a/masks")).get("unmask").asBoolean()).isTrue();
        assertThat(principal("op2").mayUnmask(server.cameras().get("cam-b").orElseThrow().config()))
                .as("a camera not granted").isFalse();
    }

    @Test
    void theUnmaskRightGrantedOnAGroupLiftsTheLiftableMasksOfThatGroupsCamerasOnlyAndAudited() throws Exception {
        assertThat(put(admin, "cam-d", DOOR, YARD).statusCode()).isEqualTo(200);
        assertThat(put(admin, "cam-e", DOOR, YARD).statusCode()).isEqualTo(200);
        HttpResponse<String> r = admin.send("POST", "/api/v1/users", Map.of("username", "dist", "password",
                "dist-password-1", "role", "supervisor", "groups", List.of("district-1", "district-2"),
                "unmaskGroups", List.of("district-1")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(ApiClient.json(r).get("unmaskGroups").toString()).isEqualTo("[\"district-1\"]");
        java.util.List<String> changes = new java.util.ArrayList<>();
        for (JsonNode c : ApiClient.json(admin.get("/api/v1/audit?action=user.change&limit=1000"))) {
            changes.add(detail(c).toString());
        }
        assertThat(changes).as("the grant is audited")
                .anyMatch(d -> d.contains("\"dist\"") && d.contains("\"unmaskGroups\":[\"district-1\"]"));

        ApiClient dist = as("dist");
        assertThat(ApiClient.json(dist.get("/api/v1/cameras/cam-d/masks")).get("unmask").asBoolean())
                .as("cam-d is in district-1").isTrue();
        assertThat(ApiClient.json(dist.get("/api/v1/cameras/cam-e/masks")).get("unmask").asBoolean())
                .as("cam-e is in district-2: seen, not liftable").isFalse();

        MaskDecision decision = server.maskDecision();
        Principal p = principal("dist");
        CameraConfig camD = server.cameras().get("cam-d").orElseThrow().config();
        CameraConfig camE = server.cameras().get("cam-e").orElseThrow().config();
        Map<String, Object> via = Map.of("via", "test");
        assertThat(decision.inForce(p, camD, new MaskLift(true, "case 2026-118: district grant"), via).masks())
                .extracting(PrivacyMask::id).as("the permanent mask stays").containsExactly("door");
        assertThatThrownBy(() -> decision.inForce(p, camD, new MaskLift(true, " "), via))
                .isInstanceOf(MaskRefusedException.class).hasMessageContaining("needs a 'reason'");
        assertThatThrownBy(() -> decision.inForce(p, camE, new MaskLift(true, "another district"), via))
                .isInstanceOf(MaskRefusedException.class).hasMessageContaining("no unmask right on camera 'cam-e'");

        JsonNode lifts = ApiClient.json(admin.get("/api/v1/audit?camera=cam-d&action=masks.lift"));
        JsonNode d = detail(lifts.get(lifts.size() - 1));
        assertThat(lifts.get(lifts.size() - 1).get("user").asText()).isEqualTo("dist");
        assertThat(d.get("reason").asText()).isEqualTo("case 2026-118: district grant");
        assertThat(d.get("lifted").toString()).isEqualTo("[\"yard\"]");
        assertThat(d.get("kept").toString()).isEqualTo("[\"door\"]");

        r = admin.send("PUT", "/api/v1/users/dist", Map.of("unmaskGroups", List.of()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(ApiClient.json(dist.get("/api/v1/cameras/cam-d/masks")).get("unmask").asBoolean())
                .as("the group grant withdrawn").isFalse();
    }

    private static Principal principal(String name) throws Exception {
        JsonNode u = ApiClient.json(admin.get("/api/v1/users/" + name));
        return new Principal(name, Role.fromApiName(u.get("role").asText()), strings(u.get("cameras")),
                strings(u.get("groups")), strings(u.get("unmask")), strings(u.get("unmaskGroups")));
    }

    /** An audit record's detail (a JSON object, served as its text: the hashed form). */
    private static JsonNode detail(JsonNode record) throws Exception {
        JsonNode d = record.get("detail");
        return d.isTextual() ? ApiClient.JSON.readTree(d.asText()) : d;
    }

    private static Set<String> strings(JsonNode a) {
        java.util.Set<String> s = new java.util.HashSet<>();
        a.forEach(n -> s.add(n.asText()));
        return s;
    }
}
