package org.vigie.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.VmsServer;
import org.vigie.testing.ApiClient;
import org.vigie.server.api.TestServers;

/** What {@link LowPrivilegeFuzzIT} found in the API, each kept by a direct test (issue 9). */
class FuzzFindingsTest {

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

    /**
     * Fuzz seed 6065619565514: {@code GET /api/v1/cameras/cam-1/snapshot.jpg?stream=sub -> 503 "camera 'cam-1' is
     * not streaming"} for a camera streaming its main stream only: a stream that is not pulled is not found, not a
     * server error to retry.
     */
    @Test
    void aLiveSnapshotOfAStreamThatIsNotPulledIsNotFound() throws Exception {
        for (String q : new String[] {"", "?stream=sub"}) {
            HttpResponse<String> r = admin.get("/api/v1/cameras/cam-a/snapshot.jpg" + q);
            assertThat(r.statusCode()).as(q + " " + r.body()).isEqualTo(404);
            assertThat(r.body()).contains("not pulled");
        }
    }
}
