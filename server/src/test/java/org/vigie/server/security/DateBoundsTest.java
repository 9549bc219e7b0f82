package org.vigie.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.vigie.testing.StreamClient;
import org.vigie.server.VmsServer;
import org.vigie.testing.ApiClient;
import org.vigie.server.api.TestServers;
import org.vigie.testing.RtspTestClient;

/**
 * Security review, finding 2 (High): every date the API takes is bounded to a sane range (1970 to 2100), and a
 * legal hold's length and expiry are bounded by the configuration ({@code legal-holds.max-span},
 * {@code max-expiry}), so that a hold with an absurd date can never be stored (it used to be, and then overflowed
 * inside the sweeper). Each refusal is a 400 naming the field, on every route, the WebSocket and the RTSP server.
 */
class DateBoundsTest {

    static final String ABSURD_PAST = "-300000-01-01T00:00:00Z";
    static final String ABSURD_FUTURE = "+300000-01-01T00:00:00Z";

    @TempDir
    static Path dir;

    static VmsServer server;
    static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dir, """

                  - { id: cam-a, url: 'rtsp://127.0.0.1:9/a', group: district-1, enabled: false }
                """);
        admin = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Map<String, Object> hold(String from, String to, String expires) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("camera", "cam-a");
        m.put("from", from);
        m.put("to", to);
        m.put("caseNumber", "PV-2026-0099");
        m.put("reason", "réquisition judiciaire");
        m.put("expires", expires);
        return m;
    }

    static void assert400(HttpResponse<String> r, String field) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains(field);
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void aHoldWithAnAbsurdDateIsRefusedAndNothingIsStored() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String expires = now.plus(Duration.ofDays(30)).toString();
        assert400(admin.send("POST", "/api/v1/holds", hold(ABSURD_PAST, now.toString(), expires)), "from");
        assert400(admin.send("POST", "/api/v1/holds", hold(now.minusSeconds(60).toString(), ABSURD_FUTURE, expires)),
                "to");
        assert400(admin.send("POST", "/api/v1/holds", hold(now.minusSeconds(60).toString(), now.toString(),
                ABSURD_FUTURE)), "expires");
        HttpResponse<String> list = admin.get("/api/v1/holds");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).doesNotContain("300000");
    }

    @Test
    void aHoldIsBoundedInLengthAndExpiryByTheConfiguration() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String expires = now.plus(Duration.ofDays(30)).toString();
        // default legal-holds.max-span: 366 days of footage
        assert400(admin.send("POST", "/api/v1/holds", hold(now.minus(Duration.ofDays(400)).toString(),
                now.toString(), expires)), "max-span");
        // default legal-holds.max-expiry: 3660 days from now
        assert400(admin.send("POST", "/api/v1/holds", hold(now.minusSeconds(60).toString(), now.toString(),
                now.plus(Duration.ofDays(4000)).toString())), "max-expiry");
        HttpResponse<String> ok = admin.send("POST", "/api/v1/holds", hold(now.minusSeconds(60).toString(),
                now.toString(), expires));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        String id = ApiClient.json(ok).get("id").asText();
        assert400(admin.send("POST", "/api/v1/holds/" + id + "/extend",
                Map.of("expires", now.plus(Duration.ofDays(4000)).toString())), "max-expiry");
        assert400(admin.send("POST", "/api/v1/holds/" + id + "/extend", Map.of("expires", ABSURD_FUTURE)),
                "expires");
    }

    @Test
    void everyQueryDateOfTheApiIsBounded() throws Exception {
        String now = Instant.now().toString();
        for (String path : List.of(
                "/api/v1/events?from=" + q(ABSURD_PAST),
                "/api/v1/events?to=" + q(ABSURD_FUTURE),
                "/api/v1/bookmarks?from=" + q(ABSURD_PAST),
                "/api/v1/audit?from=" + q(ABSURD_PAST),
                "/api/v1/register?from=" + q(ABSURD_PAST),
                "/api/v1/register?to=" + q(ABSURD_FUTURE),
                "/api/v1/cameras/cam-a/recordings?from=" + q(ABSURD_PAST) + "&to=" + q(now),
                "/api/v1/cameras/cam-a/snapshot.jpg?at=" + q(ABSURD_FUTURE),
                "/api/v1/cameras/cam-a/export.mp4?from=" + q(ABSURD_PAST) + "&to=" + q(now) + "&reason=test",
                "/api/v1/cameras/cam-a/export.zip?from=" + q(now) + "&to=" + q(ABSURD_FUTURE) + "&reason=test")) {
            HttpResponse<String> r = admin.get(path);
            assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(400);
            assertThat(r.body()).as(path).contains("1970-01-01T00:00:00Z");
        }
        assert400(admin.send("POST", "/api/v1/bookmarks", Map.of("camera", "cam-a", "time", ABSURD_FUTURE,
                "title", "x")), "time");
    }

    @Test
    void theStreamingProtocolsBoundTheirDatesToo() throws Exception {
        URI ws = URI.create("ws://127.0.0.1:" + server.httpPort() + "/api/v1/stream");
        try (StreamClient c = StreamClient.connect(ws, "Bearer " + admin.token())) {
            c.open(1, "cam-a", "archive", "\"from\":\"" + ABSURD_PAST + "\"");
            TestServers.await("an answer", Duration.ofSeconds(10), () -> !c.events("error", 1).isEmpty());
            assertThat(c.events("error", 1).get(0).path("status").asInt()).as(c.events.toString()).isEqualTo(400);
        }
        String base = "rtsp://127.0.0.1:" + server.rtspPort() + "/archive/cam-a";
        try (RtspTestClient c = new RtspTestClient(server.rtspPort()).basicAuth("admin", TestServers.ADMIN_PASSWORD)) {
            RtspTestClient.Reply d = c.request("DESCRIBE", base + "?start=" + q(ABSURD_PAST), Map.of());
            assertThat(d.status()).as(d.body()).isEqualTo(400);
            assertThat(d.body()).contains("1970-01-01T00:00:00Z");
        }
    }
}
