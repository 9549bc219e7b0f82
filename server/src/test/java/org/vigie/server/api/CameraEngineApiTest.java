package org.vigie.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.VmsServer;
import org.vigie.testing.ApiClient;

/**
 * A camera's ingest engine and the TLS options of the Java engine, through the camera API: validated with clear
 * errors, stored (they survive a restart), shown to administrators, the password never echoed. The cameras point at
 * a closed port of 127.0.0.1: what is checked is the configuration, not the recording (JavaEngineIT records).
 */
class CameraEngineApiTest {

    @TempDir
    Path dir;

    @TempDir
    Path tls;

    private static Map<String, Object> camera(String id, String url, Object... more) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("url", url);
        m.put("username", "agent");
        m.put("password", "s3cret-never-echoed");
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return m;
    }

    @Test
    void engineAndTlsOptionsAreValidatedStoredAndShownWithoutThePassword() throws Exception {
        Path cert = tls.resolve("ca.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                tls.resolve("key.pem").toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1")
                .redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).as("openssl req").isZero();
        Path notPem = Files.writeString(tls.resolve("junk.pem"), "not a certificate");

        VmsServer server = TestServers.start(dir, "[]");
        try {
            ApiClient api = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
            String rtsp = "rtsp://127.0.0.1:9/a";
            String rtsps = "rtsps://127.0.0.1:9/a";

            assertBadRequest(api.send("POST", "/api/v1/cameras", camera("c1", rtsp, "engine", "ffmpeg")),
                    "engine", "[auto, java, gstreamer]");
            assertBadRequest(api.send("POST", "/api/v1/cameras", camera("c1", rtsp, "tlsInsecure", true)),
                    "rtsps:// cameras only");
            assertBadRequest(api.send("POST", "/api/v1/cameras", camera("c1", rtsps, "tlsCaFile", "ca.pem")),
                    "tlsCaFile", "absolute path");
            assertBadRequest(api.send("POST", "/api/v1/cameras", camera("c1", rtsps, "tlsCaFile", notPem.toString())),
                    "not a PEM file");
            assertBadRequest(api.send("POST", "/api/v1/cameras", camera("c1", rtsps, "tlsCaFile", cert.toString(),
                    "tlsInsecure", true)), "tlsInsecure", "excludes tlsCaFile");

            HttpResponse<String> created = api.send("POST", "/api/v1/cameras",
                    camera("gst", rtsp, "engine", "gstreamer"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(created.body()).doesNotContain("s3cret-never-echoed");
            assertThat(ApiClient.json(created).get("engineChoice").asText()).isEqualTo("gstreamer");
            assertThat(ApiClient.json(created).get("engine").asText()).startsWith("gstreamer");

            created = api.send("POST", "/api/v1/cameras", camera("tls", rtsps, "engine", "java",
                    "tlsCaFile", cert.toString()));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            HttpResponse<String> replaced = api.send("PUT", "/api/v1/cameras/gst", camera("gst", rtsps,
                    "engine", "auto", "tlsInsecure", true));
            assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
            assertThat(replaced.body()).doesNotContain("s3cret-never-echoed");
        } finally {
            server.close();
        }

        VmsServer again = TestServers.start(dir, "[]");
        try {
            ApiClient api = new ApiClient(again.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
            HttpResponse<String> tlsCam = api.get("/api/v1/cameras/tls");
            assertThat(tlsCam.body()).doesNotContain("s3cret-never-echoed");
            JsonNode t = ApiClient.json(tlsCam);
            assertThat(t.get("engineChoice").asText()).isEqualTo("java");
            assertThat(t.get("tlsCaFile").asText()).isEqualTo(cert.toString());
            assertThat(t.get("tlsInsecure").asBoolean()).isFalse();
            assertThat(t.get("hasPassword").asBoolean()).isTrue();
            JsonNode g = ApiClient.json(api.get("/api/v1/cameras/gst"));
            assertThat(g.get("engineChoice").asText()).isEqualTo("auto");
            assertThat(g.get("tlsInsecure").asBoolean()).isTrue();
            assertThat(g.get("tlsCaFile").isNull()).isTrue();
        } finally {
            again.close();
        }
    }

    private static void assertBadRequest(HttpResponse<String> r, String... says) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains(says).doesNotContain("s3cret-never-echoed");
    }
}
