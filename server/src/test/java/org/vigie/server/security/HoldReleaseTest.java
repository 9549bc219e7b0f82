package org.vigie.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.VmsServer;
import org.vigie.testing.ApiClient;
import org.vigie.server.api.TestServers;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditRecord;

/**
 * Security review, finding 7 (Medium): a supervisor could release a hold an administrator created for a judicial
 * case, effective at the next sweep. Now releasing someone else's hold needs the administrator role (the creator
 * may release its own); a release takes effect after {@code legal-holds.release-grace} (24 h by default), during
 * which the footage stays held; every release, and every refused one, is audited.
 */
class HoldReleaseTest {

    @TempDir
    static Path dir;

    static VmsServer server;
    static ApiClient admin;
    static ApiClient sup1;
    static ApiClient sup1b;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dir, """

                  - { id: cam-a, url: 'rtsp://127.0.0.1:9/a', group: district-1, enabled: false }
                """);
        admin = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
        for (String name : List.of("sup1", "sup1b")) {
            HttpResponse<String> r = admin.send("POST", "/api/v1/users", Map.of("username", name,
                    "password", name + "-password", "role", "supervisor", "groups", List.of("district-1")));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        sup1 = new ApiClient(server.httpPort()).login("sup1", "sup1-password");
        sup1b = new ApiClient(server.httpPort()).login("sup1b", "sup1b-password");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String create(ApiClient who, String caseNumber) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("camera", "cam-a");
        m.put("from", now.minusSeconds(3600).toString());
        m.put("to", now.toString());
        m.put("caseNumber", caseNumber);
        m.put("reason", "réquisition judiciaire");
        m.put("expires", now.plus(Duration.ofDays(30)).toString());
        HttpResponse<String> r = who.send("POST", "/api/v1/holds", m);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ApiClient.json(r).get("id").asText();
    }

    static HttpResponse<String> release(ApiClient who, String id) throws Exception {
        return who.send("POST", "/api/v1/holds/" + id + "/release", Map.of("reason", "affaire classée"));
    }

    static JsonNode hold(String id) throws Exception {
        for (JsonNode h : ApiClient.json(admin.get("/api/v1/holds"))) {
            if (h.get("id").asText().equals(id)) return h;
        }
        throw new AssertionError("no hold " + id);
    }

    @Test
    void aSupervisorCannotReleaseAHoldSomeoneElseCreatedAndTheRefusalIsAudited() throws Exception {
        String byAdmin = create(admin, "PV-ADMIN-1");
        String bySup1b = create(sup1b, "PV-SUP-1");
        HttpResponse<String> r = release(sup1, byAdmin);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(release(sup1, bySup1b).statusCode()).isEqualTo(403);
        assertThat(hold(byAdmin).get("releasedAt").isNull()).isTrue();
        assertThat(hold(bySup1b).get("releasedAt").isNull()).isTrue();
        List<AuditRecord> denied = server.audit().query(null, null, "sup1", "cam-a", AuditAction.ACCESS_DENIED, 0, 10);
        assertThat(denied).anySatisfy(a -> assertThat(a.detail()).contains("/release"));
        // the administrator may release anyone's hold
        assertThat(release(admin, bySup1b).statusCode()).isEqualTo(200);
    }

    @Test
    void theCreatorMayReleaseAndTheReleaseTakesEffectOnlyAfterTheGracePeriod() throws Exception {
        String id = create(sup1, "PV-SUP-2");
        HttpResponse<String> r = release(sup1, id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode h = ApiClient.json(r);
        assertThat(h.get("releasedBy").asText()).isEqualTo("sup1");
        assertThat(h.get("active").asBoolean()).as("still held during the grace period: %s", h).isTrue();
        Instant released = Instant.parse(h.get("releasedAt").asText());
        Instant effective = Instant.parse(h.get("releaseEffective").asText());
        assertThat(Duration.between(released, effective)).isEqualTo(Duration.ofHours(24));
        assertThat(server.retention().holds().active(Instant.now())).anyMatch(x -> x.id().equals(id));
        assertThat(server.retention().holds().active(effective.plusSeconds(1))).noneMatch(x -> x.id().equals(id));
        List<AuditRecord> audited = server.audit().query(null, null, "sup1", "cam-a", AuditAction.HOLD_RELEASE, 0, 10);
        assertThat(audited).singleElement().satisfies(a -> assertThat(a.detail()).contains(id)
                .contains("affaire classée").contains(effective.toString()));
    }
}
