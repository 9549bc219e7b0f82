package org.vigie.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.StreamKey;
import org.vigie.server.VmsServer;
import org.vigie.testing.ApiClient;
import org.vigie.server.api.TestServers;

/**
 * Security review, finding 3 (Medium): only an export answer starting at byte 0 reached the law's register, so
 * {@code Range: bytes=1-} took the whole file but its first byte, unregistered. Now every export answer is
 * registered, ranges included, and each distinct exported window once, whatever the ranges a player asks for.
 */
class ExportRegisterTest {

    @TempDir
    static Path dir;

    static VmsServer server;
    static ApiClient admin;
    static Instant start;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dir, """

                  - { id: cam-a, url: 'rtsp://127.0.0.1:9/a', group: district-1, enabled: false }
                """);
        admin = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
        start = Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Footage.record(server, StreamKey.main("cam-a"), start, 30);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    HttpResponse<byte[]> export(String method, int fromSecond, int toSecond, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                        + "/api/v1/cameras/cam-a/export.mp4?from=" + start.plusSeconds(fromSecond) + "&to="
                        + start.plusSeconds(toSecond) + "&reason=r%C3%A9quisition&recipient=OPJ&case=PV-7"))
                .header("Authorization", "Bearer " + admin.token()).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30));
        if (range != null) b.header("Range", range);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    JsonNode exports() throws Exception {
        HttpResponse<String> r = admin.get("/api/v1/register?camera=cam-a&kind=export&from="
                + Instant.now().minusSeconds(3600) + "&to=" + Instant.now().plusSeconds(60));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ApiClient.json(r);
    }

    @Test
    void everyExportAnswerIsRegisteredRangesIncludedAndEachWindowOnce() throws Exception {
        HttpResponse<byte[]> whole = export("HEAD", 2, 20, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        long total = Long.parseLong(whole.headers().firstValue("Content-Length").orElseThrow());
        assertThat(exports()).as("a HEAD hands nothing over").isEmpty();

        HttpResponse<byte[]> tail = export("GET", 2, 20, "bytes=1-");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).hasSize((int) total - 1);
        JsonNode one = exports();
        assertThat(one).as("the export of all but the first byte is in the register").hasSize(1);
        JsonNode e = one.get(0);
        assertThat(e.get("actor").asText()).isEqualTo("admin");
        assertThat(e.get("recipient").asText()).isEqualTo("OPJ");
        assertThat(e.get("caseNumber").asText()).isEqualTo("PV-7");
        assertThat(Instant.parse(e.get("from").asText())).isEqualTo(start.plusSeconds(2));
        assertThat(Instant.parse(e.get("to").asText())).isEqualTo(start.plusSeconds(20));

        // a player reading the same window in pieces: still one export of that window
        assertThat(export("GET", 2, 20, "bytes=0-99").statusCode()).isEqualTo(206);
        assertThat(export("GET", 2, 20, "bytes=100-").statusCode()).isEqualTo(206);
        assertThat(export("GET", 2, 20, null).statusCode()).isEqualTo(200);
        assertThat(exports()).hasSize(1);

        // another window is another export
        assertThat(export("GET", 5, 25, "bytes=-10").statusCode()).isEqualTo(206);
        assertThat(exports()).hasSize(2);
    }
}
