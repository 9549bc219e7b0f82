package org.vigie.server.api;

import org.vigie.testing.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.StreamStats;
import org.vigie.server.VmsServer;
import org.vigie.server.http.Route;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.testing.Await;

/**
 * Bad input never gets a 5xx: malformed JSON, unknown fields, wrong types, oversized bodies, path traversal, and
 * a thousand seeded random requests; all the while a simulated camera keeps recording.
 */
class BadInputTest {

    @TempDir
    static Path dir;

    static CameraSimulator sim;
    static VmsServer server;
    static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        sim = CameraSimulator.start(0, 1, SimulatorOptions.defaults());
        server = TestServers.start(dir, "[ { id: sim-1, url: '" + sim.url(sim.cameraIds().get(0)) + "' } ]");
        admin = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        sim.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON         | {"id": "c1", "url":                                   | malformed JSON
            not an object          | [1, 2, 3]                                              | must be an object
            null body              | null                                                   | not null
            trailing garbage       | {"id": "c1", "url": "rtsp://127.0.0.1:9/x"} xyz        | malformed JSON
            duplicate key          | {"id": "c1", "id": "c2", "url": "rtsp://127.0.0.1:9/x"} | Duplicate field
            unknown field          | {"id": "c1", "url": "rtsp://127.0.0.1:9/x", "colour": "red"} | unknown field 'colour'
            number for a string    | {"id": 12, "url": "rtsp://127.0.0.1:9/x"}              | field 'id'
            string for a boolean   | {"id": "c1", "url": "rtsp://127.0.0.1:9/x", "enabled": "yes"} | field 'enabled'
            object for a string    | {"id": "c1", "url": {"a": 1}}                          | field 'url'
            http url               | {"id": "c1", "url": "http://127.0.0.1/x"}              | rtsp://
            credentials in url     | {"id": "c1", "url": "rtsp://u:p@127.0.0.1/x"}          | must not embed credentials
            traversal in id        | {"id": "../../etc", "url": "rtsp://127.0.0.1:9/x"}     | id: must be 1-64
            retention beyond law   | {"id": "c1", "url": "rtsp://127.0.0.1:9/x", "retention": "31d"} | retention
            missing url            | {"id": "c1"}                                           | url
            """)
    void badCameraBodyIs400WithAClearMessage(String name, String body, String message) throws Exception {
        HttpResponse<String> r = admin.send("POST", "/api/v1/cameras", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(ApiClient.json(r).get("error").asText()).containsIgnoringCase(message);
    }

    @Test
    void emptyBodyIs400() throws Exception {
        HttpResponse<String> r = admin.raw("POST", "/api/v1/users", null, admin.token());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("JSON body is required");
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        String big = "{\"id\": \"" + "a".repeat(70_000) + "\"}";
        HttpResponse<String> r = admin.send("POST", "/api/v1/cameras", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(admin.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void deeplyNestedJsonIs400() throws Exception {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThat(admin.send("POST", "/api/v1/users", deep).statusCode()).isEqualTo(400);
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/cameras/../users", "/api/v1/cameras/%2e%2e/users", "/api/v1/cameras/..%2fusers",
            "/api/v1/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/api/v1/cameras/a%5c..%5cb",
            "/api/v1/cameras/a%00b", "/api/v1//cameras"})
    void pathTraversalIs400(String path) throws Exception {
        String response = rawHttp("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin.token()
                + "\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400");
    }

    @Test
    void garbageRequestLineIs400() throws Exception {
        assertThat(rawHttp("\u0001\u0002 garbage\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(rawHttp("GET /healthz?x=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
    }

    @Test
    void thousandRandomRequestsNeverGetA5xxAndRecordingGoesOn() throws Exception {
        StreamKey key = StreamKey.main("sim-1");
        Await.until("sim-1 recording", java.time.Duration.ofSeconds(30),
                () -> server.recorder().stats(key).map(StreamStats::framesWritten).orElse(0L) > 0);
        long framesBefore = server.recorder().stats(key).orElseThrow().framesWritten();
        // the fuzzer is an administrator with an API key: a random logout or password change cannot lock it out
        admin.send("POST", "/api/v1/users", Map.of("username", "fuzzer", "password", "fuzzer-password",
                "role", "administrator"));
        String fuzzKey = ApiClient.json(admin.send("POST", "/api/v1/users/fuzzer/api-keys", Map.of("name", "fuzz")))
                .get("key").asText();
        ApiClient fuzz = new ApiClient(server.httpPort());
        Random random = new Random(20260301L);
        List<Route> routes = server.router().routes();
        String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
        String[] values = {"sim-1", "nope", "x", "1", "-1", "99999999999999999999", "%2e%2e", "%00", "%ff%fe",
                "a".repeat(300), "operator1", "ü", "%20", "cam-f1"};
        List<String> failures = new ArrayList<>();
        int[] byClass = new int[6];
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            Route r = routes.get(random.nextInt(routes.size()));
            String path = r.template();
            while (path.contains("{")) {
                path = path.replaceFirst("\\{[A-Za-z]+}", values[random.nextInt(values.length)]);
            }
            if (random.nextInt(10) == 0) path = path + "/" + values[random.nextInt(values.length)];
            if (random.nextInt(4) == 0) path = path + "?" + randomQuery(random, values);
            String method = random.nextInt(4) == 0 ? methods[random.nextInt(methods.length)] : r.method().name();
            String body = randomBody(random);
            String bearer = random.nextInt(8) == 0 ? null : fuzzKey;
            HttpResponse<String> res;
            try {
                res = fuzz.raw(method, path, method.equals("GET") || method.equals("DELETE") ? null : body, bearer);
            } catch (IllegalArgumentException e) {
                continue; // java.net.URI refuses it client-side: nothing was sent
            }
            byClass[res.statusCode() / 100]++;
            if (res.statusCode() >= 500) failures.add(method + " " + path + " " + body + " -> " + res.statusCode()
                    + " " + res.body());
        }
        System.out.printf("fuzz: 1000 requests in %d ms: %d 2xx, %d 4xx, %d 5xx%n",
                (System.nanoTime() - started) / 1_000_000, byClass[2], byClass[4], byClass[5]);
        assertThat(failures).isEmpty();
        assertThat(byClass[4]).as("4xx answers").isGreaterThan(300);
        assertThat(byClass[2]).as("2xx answers").isGreaterThan(20);
        assertThat(admin.get("/healthz").statusCode()).isEqualTo(200);
        long framesAfter = server.recorder().stats(key).orElseThrow().framesWritten();
        Await.until("sim-1 still recording", java.time.Duration.ofSeconds(10),
                () -> server.recorder().stats(key).orElseThrow().framesWritten() > framesAfter);
        assertThat(framesAfter).isGreaterThan(framesBefore);
        assertThat(server.cameras().get("sim-1").orElseThrow().state().name()).isEqualTo("STREAMING");
    }

    private static String randomQuery(Random random, String[] values) {
        String[] names = {"camera", "from", "to", "type", "limit", "after", "user", "action", "x"};
        String[] vals = {"2026-01-01T00:00:00Z", "yesterday", "motion", "MOTION", "0", "5000", "-3", "sim-1",
                "%zz", "a&b", "1e9"};
        StringBuilder q = new StringBuilder();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            if (i > 0) q.append('&');
            q.append(names[random.nextInt(names.length)]).append('=').append(random.nextBoolean()
                    ? vals[random.nextInt(vals.length)] : values[random.nextInt(values.length)]);
        }
        return q.toString();
    }

    private static String randomBody(Random random) {
        String[] fields = {"id", "url", "name", "username", "password", "role", "cameras", "groups", "enabled",
                "camera", "time", "title", "durationSeconds", "retention", "transport", "recordSub", "subUrl", "zz"};
        Object[] vals = {"cam-f" + random.nextInt(50), "rtsp://127.0.0.1:9/f", "http://x/", "operator", "supervisor",
                "god", true, 12, -1, 1.5, null, List.of("district-1"), List.of(1, 2), Map.of("a", 1),
                "2026-01-01T00:00:00Z", "x".repeat(random.nextInt(3) * 100), "pass-word-123", "tcp", "31d", "1h"};
        switch (random.nextInt(8)) {
            case 0:
                return "";
            case 1:
                return "{\"id\": ";
            case 2: {
                byte[] b = new byte[random.nextInt(200)];
                random.nextBytes(b);
                return new String(b, StandardCharsets.ISO_8859_1);
            }
            default: {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                int n = random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    m.put(fields[random.nextInt(fields.length)], vals[random.nextInt(vals.length)]);
                }
                try {
                    return ApiClient.JSON.writeValueAsString(m);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static String rawHttp(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        }
    }
}
