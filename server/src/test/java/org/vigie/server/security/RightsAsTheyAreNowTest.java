package org.vigie.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
 * Security review, finding 1 (High): a right is checked as it is now at every WebSocket {@code open} and every RTSP
 * {@code SETUP}/{@code PLAY}, not as it was when the connection was authenticated. A withdrawn grant, a demoted
 * role, a deleted user or a revoked token refuses the next channel on the same connection at once (the periodic
 * re-check only ends channels already open).
 *
 * <p>The cameras are configured but disabled: a granted live {@code open} then answers 404 "not pulled" (the right
 * was checked and granted), a refused one 403; no ingest is needed to test rights.
 */
class RightsAsTheyAreNowTest {

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

    static final String PASSWORD = "operator-password-1";

    /** A logged-in operator granted cam-a only. */
    static ApiClient operator(String name) throws Exception {
        HttpResponse<String> r = admin.send("POST", "/api/v1/users", Map.of("username", name, "password", PASSWORD,
                "role", "operator", "cameras", List.of("cam-a")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new ApiClient(server.httpPort()).login(name, PASSWORD);
    }

    static URI streamUri() {
        return URI.create("ws://127.0.0.1:" + server.httpPort() + "/api/v1/stream");
    }

    /** The status of the error event the server sends on {@code channel}. */
    static int errorOn(StreamClient c, int channel) throws Exception {
        TestServers.await("an answer on channel " + channel, Duration.ofSeconds(10),
                () -> !c.events("error", channel).isEmpty() || !c.events("opened", channel).isEmpty()
                        || c.closeStatus != -1);
        if (c.closeStatus != -1 && c.events("error", channel).isEmpty()) return -c.closeStatus;
        List<JsonNode> e = c.events("error", channel);
        return e.isEmpty() ? 200 : e.get(0).path("status").asInt();
    }

    static void update(String user, Object body) throws Exception {
        HttpResponse<String> r = admin.send("PUT", "/api/v1/users/" + user, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void aWithdrawnGrantRefusesTheNextWebSocketOpenOnTheSameConnection() throws Exception {
        ApiClient op = operator("ws-grant");
        try (StreamClient c = StreamClient.connect(streamUri(), "Bearer " + op.token())) {
            c.open(1, "cam-a", "live", null);
            assertThat(errorOn(c, 1)).as("granted: the camera is only not pulled").isEqualTo(404);
            update("ws-grant", Map.of("cameras", List.of()));
            c.open(2, "cam-a", "live", null);
            assertThat(errorOn(c, 2)).as("open after the grant was withdrawn: %s", c.events).isEqualTo(403);
            c.open(3, "cam-a", "archive", "\"from\":\"2026-01-01T00:00:00Z\"");
            assertThat(errorOn(c, 3)).as("archive open after the grant was withdrawn: %s", c.events).isEqualTo(403);
        }
    }

    @Test
    void aDemotedUserLosesTheLiveRightOnTheNextOpen() throws Exception {
        ApiClient op = operator("ws-demoted");
        try (StreamClient c = StreamClient.connect(streamUri(), "Bearer " + op.token())) {
            c.open(1, "cam-a", "live", null);
            assertThat(errorOn(c, 1)).isEqualTo(404);
            update("ws-demoted", Map.of("role", "integrator"));
            c.open(2, "cam-a", "live", null);
            assertThat(errorOn(c, 2)).as("integrators have no live_view: %s", c.events).isEqualTo(403);
        }
    }

    @Test
    void aDeletedUserOrARevokedTokenOpensNothingMore() throws Exception {
        ApiClient deleted = operator("ws-deleted");
        ApiClient revoked = operator("ws-revoked");
        try (StreamClient a = StreamClient.connect(streamUri(), "Bearer " + deleted.token());
             StreamClient b = StreamClient.connect(streamUri(), "Bearer " + revoked.token())) {
            a.open(1, "cam-a", "live", null);
            b.open(1, "cam-a", "live", null);
            assertThat(errorOn(a, 1)).isEqualTo(404);
            assertThat(errorOn(b, 1)).isEqualTo(404);
            assertThat(admin.send("DELETE", "/api/v1/users/ws-deleted", null).statusCode()).isEqualTo(204);
            assertThat(revoked.send("POST", "/api/v1/auth/logout", null).statusCode()).isEqualTo(204);
            a.open(2, "cam-a", "live", null);
            b.open(2, "cam-a", "live", null);
            assertThat(errorOn(a, 2)).as("deleted user: %s", a.events).isIn(401, -1008);
            assertThat(errorOn(b, 2)).as("revoked token: %s", b.events).isIn(401, -1008);
        }
    }

    @Test
    void aWithdrawnGrantRefusesTheNextRtspSetupAndPlayOnTheSameConnection() throws Exception {
        operator("rtsp-grant");
        String url = "rtsp://127.0.0.1:" + server.rtspPort() + "/live/cam-a";
        try (RtspTestClient c = new RtspTestClient(server.rtspPort()).basicAuth("rtsp-grant", PASSWORD)) {
            RtspTestClient.Reply d = c.request("DESCRIBE", url, Map.of("Accept", "application/sdp"));
            assertThat(d.status()).as("granted: the camera is only not pulled").isEqualTo(404);
            RtspTestClient.Reply s = c.request("SETUP", url + "/trackID=0",
                    Map.of("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1"));
            assertThat(s.status()).isEqualTo(200);
            String session = s.header("session").split(";")[0];
            update("rtsp-grant", Map.of("cameras", List.of()));
            RtspTestClient.Reply p = c.request("PLAY", url, Map.of("Session", session));
            assertThat(p.status()).as("PLAY after the grant was withdrawn").isEqualTo(403);
        }
        update("rtsp-grant", Map.of("cameras", List.of("cam-a")));
        try (RtspTestClient c = new RtspTestClient(server.rtspPort()).basicAuth("rtsp-grant", PASSWORD)) {
            assertThat(c.request("DESCRIBE", url, Map.of()).status()).isEqualTo(404);
            update("rtsp-grant", Map.of("role", "integrator"));
            RtspTestClient.Reply s = c.request("SETUP", url + "/trackID=0",
                    Map.of("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1"));
            assertThat(s.status()).as("SETUP after the role lost live_view").isEqualTo(403);
        }
    }

    @Test
    void aDeletedUserIsRefusedOnTheRtspConnectionItAlreadyAuthenticated() throws Exception {
        operator("rtsp-deleted");
        String url = "rtsp://127.0.0.1:" + server.rtspPort() + "/live/cam-a";
        try (RtspTestClient c = new RtspTestClient(server.rtspPort()).basicAuth("rtsp-deleted", PASSWORD)) {
            assertThat(c.request("DESCRIBE", url, Map.of()).status()).isEqualTo(404);
            assertThat(admin.send("DELETE", "/api/v1/users/rtsp-deleted", null).statusCode()).isEqualTo(204);
            RtspTestClient.Reply s = c.request("SETUP", url + "/trackID=0",
                    Map.of("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1"));
            assertThat(s.status()).as("SETUP by a deleted user").isEqualTo(401);
        }
    }
}
