package org.vigie.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.VmsServer;
import org.vigie.testing.ApiClient;
import org.vigie.server.api.TestServers;

/**
 * Issue 14 on the real server's WebSocket ({@code /api/v1/stream}), with its real access port, mask decision and
 * audit trail: a connection that does not draw masks is refused a masked camera; a lift needs the camera's
 * {@code unmask} right and a reason, and is audited. The camera is disabled, so a granted open ends in "not
 * pulled" (404): every decision about masks is taken before that.
 */
class MaskWebSocketTest {

    @TempDir
    static Path dir;

    static VmsServer server;
    static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dir, """

                  - { id: cam-m, url: 'rtsp://127.0.0.1:9/m', group: district-1, enabled: false }
                """);
        admin = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
        for (String[] u : new String[][] {{"op1", "[]"}, {"sup", "[\"cam-m\"]"}}) {
            assertThat(admin.send("POST", "/api/v1/users", "{\"username\":\"" + u[0] + "\",\"password\":\"" + u[0]
                    + "-password-1\",\"role\":\"supervisor\",\"groups\":[\"district-1\"],\"unmask\":" + u[1] + "}")
                    .statusCode()).isEqualTo(201);
        }
        assertThat(admin.send("PUT", "/api/v1/cameras/cam-m/masks", Map.of("masks", List.of(
                Map.of("id", "door", "kind", "permanent", "polygon", List.of(List.of(0, 0), List.of(1, 0),
                        List.of(1, 0.2))),
                Map.of("id", "yard", "kind", "liftable", "polygon", List.of(List.of(0, 0.5), List.of(1, 0.5),
                        List.of(1, 1)))))).statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /**
     * A connection that does not draw masks gets the masked re-encode, live (MaskedHubs: past the masks, the disabled
     * camera is not pulled) and archive (past the masks: nothing is recorded, the channel ends), each view audited
     * with {@code masks: "burned-in"}.
     */
    @Test
    void aConnectionThatDoesNotDrawMasksGetsTheBurnInLiveAndArchiveAndItIsAudited() throws Exception {
        try (Ws ws = Ws.connect(server.httpPort(), token("op1"), null)) {
            JsonNode live = ws.ask("{\"op\":\"open\",\"channel\":1,\"camera\":\"cam-m\"}");
            assertThat(live.path("message").asText()).as("live: the masked re-encode, past the masks")
                    .contains("is not pulled");
            JsonNode e = ws.ask("{\"op\":\"open\",\"channel\":2,\"camera\":\"cam-m\",\"mode\":\"archive\","
                    + "\"from\":\"2026-01-01T00:00:00Z\"}");
            assertThat(e.path("event").asText()).as("archive: past the masks, nothing recorded: %s", e)
                    .isEqualTo("ended");
        }
        assertThat(ApiClient.json(admin.get("/api/v1/audit?user=op1&camera=cam-m&action=view.live")).toString())
                .contains("burned-in");
        assertThat(ApiClient.json(admin.get("/api/v1/audit?user=op1&camera=cam-m&action=view.archive")).toString())
                .contains("burned-in");
    }

    @Test
    void aLiftNeedsTheUnmaskRightAndAReasonAndIsAudited() throws Exception {
        String own = "http://127.0.0.1:" + server.httpPort();
        try (Ws ws = Ws.connect(server.httpPort(), token("op1"), own)) {
            JsonNode noRight = ws.ask("{\"op\":\"open\",\"channel\":1,\"camera\":\"cam-m\",\"unmask\":\"liftable\","
                    + "\"reason\":\"curious\"}");
            assertThat(noRight.path("status").asInt()).isEqualTo(403);
            assertThat(noRight.path("message").asText()).contains("no unmask right on camera 'cam-m'");
        }
        try (Ws ws = Ws.connect(server.httpPort(), token("sup"), own)) {
            JsonNode noReason = ws.ask("{\"op\":\"open\",\"channel\":1,\"camera\":\"cam-m\",\"unmask\":\"liftable\"}");
            assertThat(noReason.path("status").asInt()).isEqualTo(403);
            assertThat(noReason.path("message").asText()).contains("needs a 'reason'");
            JsonNode permanent = ws.ask("{\"op\":\"open\",\"channel\":2,\"camera\":\"cam-m\",\"unmask\":\"permanent\","
                    + "\"reason\":\"all of it\"}");
            assertThat(permanent.path("status").asInt()).isEqualTo(400);
            assertThat(permanent.path("message").asText()).contains("permanent masks are never lifted");
            JsonNode granted = ws.ask("{\"op\":\"open\",\"channel\":3,\"camera\":\"cam-m\",\"unmask\":\"liftable\","
                    + "\"reason\":\"case 2026-117\"}");
            assertThat(granted.path("message").asText()).as("past the masks: the disabled camera is not pulled")
                    .contains("is not pulled");
        }
        JsonNode lifts = ApiClient.json(admin.get("/api/v1/audit?camera=cam-m&action=masks.lift"));
        assertThat(lifts.size()).isEqualTo(1);
        assertThat(lifts.get(0).path("user").asText()).isEqualTo("sup");
        JsonNode d = ApiClient.JSON.readTree(lifts.get(0).path("detail").asText());
        assertThat(d.path("reason").asText()).isEqualTo("case 2026-117");
        assertThat(d.path("lifted").toString()).isEqualTo("[\"yard\"]");
        assertThat(d.path("via").asText()).isEqualTo("websocket");
    }

    private static String token(String user) throws Exception {
        return new ApiClient(server.httpPort()).login(user, user + "-password-1").token();
    }

    /** A WebSocket of the streaming protocol on the JDK's client; {@code origin} non-null offers the mask flag. */
    static final class Ws implements WebSocket.Listener, AutoCloseable {
        final List<JsonNode> events = new CopyOnWriteArrayList<>();
        final AtomicInteger binary = new AtomicInteger();
        WebSocket ws;

        static Ws connect(int port, String token, String origin) throws Exception {
            Ws w = new Ws();
            WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Authorization", "Bearer " + token);
            if (origin != null) {
                b.subprotocols("vigie.stream.v1", "vigie.masks.client").header("Origin", origin);
            } else {
                b.subprotocols("vigie.stream.v1");
            }
            w.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/stream"), w).get(10, TimeUnit.SECONDS);
            return w;
        }

        /** Sends a message and returns the next event. */
        JsonNode ask(String json) throws Exception {
            int before = events.size();
            ws.sendText(json, true).get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (events.size() == before) {
                if (System.nanoTime() > deadline) throw new AssertionError("no answer to " + json);
                Thread.sleep(20);
            }
            return events.get(before);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            try {
                events.add(ApiClient.JSON.readTree(data.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            binary.incrementAndGet();
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            ws.abort();
        }
    }
}
