package org.vigie.server.api;

import org.vigie.testing.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.VmsServer;

/**
 * {@code /api/v1/layouts} through real HTTP on 127.0.0.1: the rights of LayoutResource over LayoutStore. A user
 * sees their own layouts and those shared with one of their groups (others answer 404, as if absent); sharing needs
 * the layout_share right and membership of the group; only the owner or an administrator changes or deletes; bad
 * bodies get a clear 400 and change nothing; every change is in the audit trail.
 *
 * <p>Users: two operators of district-1 ({@code op1}, {@code op2}), an operator of district-2 ({@code op3}), a
 * supervisor of district-1 ({@code sup}, who may share) and an integrator (no layouts right).
 */
class LayoutApiTest {

    @TempDir
    static Path dir;

    static VmsServer server;
    static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dir, "[]");
        admin = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
        user("op1", "operator", "district-1");
        user("op2", "operator", "district-1");
        user("op3", "operator", "district-2");
        user("sup", "supervisor", "district-1");
        user("int", "integrator", "district-1");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static void user(String name, String role, String group) throws Exception {
        HttpResponse<String> r = admin.send("POST", "/api/v1/users", Map.of("username", name, "password",
                name + "-password-1", "role", role, "groups", List.of(group)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static ApiClient as(String name) throws Exception {
        return new ApiClient(server.httpPort()).login(name, name + "-password-1");
    }

    private static Map<String, Object> body(String name, String layout, String group, String... cameras) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", name);
        m.put("layout", layout);
        m.put("cameras", Arrays.asList(cameras));
        if (group != null) m.put("group", group);
        return m;
    }

    private static long create(ApiClient c, Map<String, Object> body) throws Exception {
        HttpResponse<String> r = c.send("POST", "/api/v1/layouts", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ApiClient.json(r).get("id").asLong();
    }

    private static List<String> names(ApiClient c) throws Exception {
        HttpResponse<String> r = c.get("/api/v1/layouts");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ApiClient.json(r).findValuesAsText("name");
    }

    @Test
    void aPrivateLayoutIsSeenAndChangedByItsOwnerOnly() throws Exception {
        ApiClient op1 = as("op1");
        ApiClient op2 = as("op2");
        long id = create(op1, body("Private op1", "1+5", null, "cam-1", "", "cam-3"));

        JsonNode saved = ApiClient.json(op1.get("/api/v1/layouts/" + id));
        assertThat(saved.get("owner").asText()).isEqualTo("op1");
        assertThat(saved.get("layout").asText()).isEqualTo("1+5");
        assertThat(saved.get("group").isNull()).isTrue();
        // padded to the grid's six tiles; an empty string is an empty tile
        assertThat(saved.get("cameras").toString()).isEqualTo("[\"cam-1\",null,\"cam-3\",null,null,null]");

        assertThat(names(op1)).contains("Private op1");
        assertThat(names(op2)).doesNotContain("Private op1");
        assertThat(names(admin)).contains("Private op1");
        assertThat(op2.get("/api/v1/layouts/" + id).statusCode()).as("someone else's private layout").isEqualTo(404);
        assertThat(op2.send("PUT", "/api/v1/layouts/" + id, body("Stolen", "1", null)).statusCode()).isEqualTo(404);
        assertThat(op2.send("DELETE", "/api/v1/layouts/" + id, null).statusCode()).isEqualTo(404);

        HttpResponse<String> renamed = op1.send("PUT", "/api/v1/layouts/" + id, body("Private op1 v2", "2x2", null,
                "cam-9"));
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(ApiClient.json(renamed).get("owner").asText()).isEqualTo("op1");
        assertThat(ApiClient.json(op1.get("/api/v1/layouts/" + id)).get("cameras").size()).isEqualTo(4);
        assertThat(op1.send("DELETE", "/api/v1/layouts/" + id, null).statusCode()).isEqualTo(204);
        assertThat(op1.get("/api/v1/layouts/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void sharingNeedsTheRightAndTheGroupAndASharedLayoutIsReadOnlyForTheGroup() throws Exception {
        ApiClient op1 = as("op1");
        ApiClient op2 = as("op2");
        ApiClient op3 = as("op3");
        ApiClient sup = as("sup");

        HttpResponse<String> operatorShares = op1.send("POST", "/api/v1/layouts", body("Shared by op1", "1", "district-1"));
        assertThat(operatorShares.statusCode()).as("an operator has no layout_share").isEqualTo(403);
        assertThat(operatorShares.body()).contains("layout_share");
        HttpResponse<String> otherGroup = sup.send("POST", "/api/v1/layouts", body("For district-2", "1", "district-2"));
        assertThat(otherGroup.statusCode()).as("a group that is not the supervisor's").isEqualTo(403);
        assertThat(names(admin)).doesNotContain("Shared by op1", "For district-2");

        long id = create(sup, body("Nord shared", "2x2", "district-1", "cam-1", "cam-2"));
        assertThat(names(op1)).contains("Nord shared");
        assertThat(names(op2)).contains("Nord shared");
        assertThat(names(op3)).doesNotContain("Nord shared");
        assertThat(op2.get("/api/v1/layouts/" + id).statusCode()).isEqualTo(200);
        assertThat(op3.get("/api/v1/layouts/" + id).statusCode()).isEqualTo(404);
        assertThat(op2.send("PUT", "/api/v1/layouts/" + id, body("Taken over", "1", null)).statusCode())
                .as("a member of the group may open it, not change it").isEqualTo(403);
        assertThat(op2.send("DELETE", "/api/v1/layouts/" + id, null).statusCode()).isEqualTo(403);
        assertThat(ApiClient.json(sup.get("/api/v1/layouts/" + id)).get("name").asText()).isEqualTo("Nord shared");

        // an administrator may share with any group, and change anyone's layout
        long adminShared = create(admin, body("For district-2 by admin", "1", "district-2", "cam-7"));
        assertThat(names(op3)).contains("For district-2 by admin");
        assertThat(admin.send("PUT", "/api/v1/layouts/" + id, body("Nord shared (admin)", "2x2", "district-1"))
                .statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(sup.get("/api/v1/layouts/" + id)).get("owner").asText()).isEqualTo("sup");
        assertThat(admin.send("DELETE", "/api/v1/layouts/" + adminShared, null).statusCode()).isEqualTo(204);
    }

    @Test
    void aUserWithoutTheLayoutsRightAndBadBodiesAreRefusedAndChangeNothing() throws Exception {
        ApiClient op1 = as("op1");
        ApiClient integrator = as("int");
        assertThat(integrator.get("/api/v1/layouts").statusCode()).isEqualTo(403);
        assertThat(integrator.send("POST", "/api/v1/layouts", body("Int", "1", null)).statusCode()).isEqualTo(403);

        int before = names(admin).size();
        Map<String, String> bad = Map.of(
                "{\"name\":\"\",\"layout\":\"2x2\"}", "name",
                "{\"name\":\"x\",\"layout\":\"7x7\"}", "layout",
                "{\"name\":\"x\",\"layout\":\"1\",\"cameras\":[\"cam-1\",\"cam-2\"]}", "2 cameras for a layout of 1",
                "{\"name\":\"x\",\"layout\":\"1\",\"cameras\":[\"../etc/passwd\"]}", "not a camera id",
                "{\"name\":\"" + "n".repeat(LayoutResource.MAX_NAME + 1) + "\",\"layout\":\"1\"}", "name",
                "[1,2]", "",
                "not json", "");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            HttpResponse<String> r = op1.send("POST", "/api/v1/layouts", e.getKey());
            assertThat(r.statusCode()).as(e.getKey() + " -> " + r.body()).isEqualTo(400);
            assertThat(r.body()).contains(e.getValue());
        }
        assertThat(op1.get("/api/v1/layouts/not-a-number").statusCode()).isEqualTo(400);
        assertThat(names(admin)).hasSize(before);
    }

    @Test
    void everyChangeIsAudited() throws Exception {
        ApiClient op2 = as("op2");
        long id = create(op2, body("Audited", "3x3", null, "cam-5"));
        op2.send("PUT", "/api/v1/layouts/" + id, body("Audited v2", "3x3", null, "cam-6"));
        op2.send("DELETE", "/api/v1/layouts/" + id, null);
        JsonNode records = ApiClient.json(admin.get("/api/v1/audit?user=op2&action=layout.change&limit=100"));
        String text = records.toString();
        assertThat(records.size()).isGreaterThanOrEqualTo(3);
        assertThat(text).contains("layout.create").contains("layout.update").contains("layout.delete")
                .contains("Audited v2").contains("cam-6");
        JsonNode verify = ApiClient.json(admin.get("/api/v1/audit/verify"));
        assertThat(verify.get("intact").asBoolean()).as(verify.toString()).isTrue();
    }
}
