package org.vigie.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.VmsServer;
import org.vigie.server.config.VmsConfig;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.simulator.onvif.OnvifSimulator;
import org.vigie.simulator.onvif.SimulatedCameraInfo;
import org.vigie.simulator.onvif.SimulatedOnvifCamera;
import org.vigie.simulator.onvif.SimulatorCredentials;
import org.vigie.testing.Await;
import org.vigie.testing.FreePort;

/**
 * Issue #3 acceptance, server side: the RTSP simulator serves the video, the ONVIF simulator impersonates the
 * cameras (HTTP and WS-Discovery on 127.0.0.1 / lo only), and the server is driven through its REST API: discovery
 * (API and CLI), a camera added by its ONVIF address, PTZ, motion events, and a wrong ONVIF password.
 */
class OnvifServerIT {

    private static final String ADMIN_PASSWORD = "admin-password-1";
    private static final SimulatorCredentials ONVIF_ACCOUNT = new SimulatorCredentials("operator", "Lyon-2024!");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static CameraSimulator rtsp;
    private static OnvifSimulator onvif;
    private static int discoveryPort;
    private static VmsServer server;
    private static String token;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() throws Exception {
        rtsp = CameraSimulator.start(0, 4, SimulatorOptions.defaults());
        List<String> ids = rtsp.cameraIds();
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            discoveryPort = probe.getLocalPort(); // not 3702: a demo or another test may hold it
        }
        onvif = OnvifSimulator.start(OnvifSimulator.Options.defaults("127.0.0.1", 0, ONVIF_ACCOUNT)
                .withDiscoveryPort(discoveryPort), List.of(
                new SimulatedCameraInfo("dome-1", "Place Bellecour", rtsp.url(ids.get(0)).toString(),
                        rtsp.url(ids.get(1)).toString()),
                new SimulatedCameraInfo("dome-2", "Pont Lafayette", rtsp.url(ids.get(2)).toString()),
                new SimulatedCameraInfo("dome-3", "Gare Part-Dieu", rtsp.url(ids.get(3)).toString())));
        String yaml = """
                server: { bind-address: 127.0.0.1, http-port: 0, rtsp-port: 0 }
                storage: { path: '%s', segment-duration: 10s }
                ingest: { reconnect-min: 200ms, reconnect-max: 1s }
                auth: { admin-password: '%s', argon2-memory-kib: 64, argon2-iterations: 1 }
                discovery: { interface: lo, port: %d, timeout: 1s }
                cameras:
                  - { id: from-file, onvif: '%s', username: '%s', password: '%s' }
                """.formatted(dir.resolve("recordings"), ADMIN_PASSWORD, discoveryPort,
                onvif.camera("dome-3").deviceServiceUrl(), ONVIF_ACCOUNT.username(), ONVIF_ACCOUNT.password());
        server = VmsServer.start(VmsConfig.parse(yaml), InstantSource.system());
        JsonNode login = call("POST", "/api/v1/auth/login", Map.of("username", "admin", "password", ADMIN_PASSWORD), 200);
        token = login.get("token").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (onvif != null) onvif.close();
        if (rtsp != null) rtsp.close();
    }

    @Test
    void discoveryThroughTheApiPinnedToLoopbackFindsEverySimulatedCamera() throws Exception {
        JsonNode r = call("POST", "/api/v1/discovery", Map.of("timeoutMs", 1000), 200);
        assertThat(r.get("interface").asText()).isEqualTo("lo");
        List<String> found = new ArrayList<>();
        for (JsonNode d : r.get("devices")) {
            found.add(d.get("endpointReference").asText());
        }
        for (SimulatedOnvifCamera c : onvif.cameras()) {
            assertThat(found).contains(OnvifSimulator.endpointReference(c.info()));
            JsonNode d = device(r, OnvifSimulator.endpointReference(c.info()));
            assertThat(d.get("xAddrs").get(0).asText()).isEqualTo(c.deviceServiceUrl());
            assertThat(d.get("name").asText()).isEqualTo(c.info().name());
        }
        assertThat(found).hasSize(onvif.cameras().size());
        JsonNode audit = call("GET", "/api/v1/audit?action=discovery", null, 200);
        assertThat(audit.toString()).contains("\\\"found\\\":3");
    }

    @Test
    void discoveryThroughTheCliPrintsOneLinePerSimulatedCamera() throws Exception {
        Path log = dir.resolve("discover.log");
        int status = ServerProcess.runToCompletion(log, "discover", "--interface", "lo", "--port",
                String.valueOf(discoveryPort), "--timeout", "5s"); // answers come at once; 1 s was missed at load 20
        String out = Files.readString(log);
        assertThat(status).as(out).isZero();
        for (SimulatedOnvifCamera c : onvif.cameras()) {
            String line = out.lines().filter(l -> l.startsWith(OnvifSimulator.endpointReference(c.info()) + "\t"))
                    .findFirst().orElseThrow(() -> new AssertionError("no line for " + c.info().id() + " in\n" + out));
            assertThat(line).contains(c.deviceServiceUrl(), "name=" + c.info().name(), "hardware=SimCam-PTZ",
                    "location=simulator");
        }
        assertThat(out).contains("discover: 3 device(s) on lo (multicast)");
    }

    @Test
    void cameraAddedByItsOnvifAddressRecordsItsMainStreamAndExposesItsSubStream() throws Exception {
        SimulatedOnvifCamera dome = onvif.camera("dome-1");
        JsonNode created = call("POST", "/api/v1/cameras", Map.of("id", "added-1", "name", "Bellecour",
                "onvif", dome.deviceServiceUrl(), "username", ONVIF_ACCOUNT.username(),
                "password", ONVIF_ACCOUNT.password()), 201);
        assertThat(created.get("onvif").asText()).isEqualTo(dome.deviceServiceUrl());
        Await.until("added-1 records its main stream", Duration.ofSeconds(30), () -> {
            JsonNode c = get("/api/v1/cameras/added-1");
            return c.get("state").asText().equals("streaming")
                    && c.get("recording").get("framesWritten").asLong() > 0;
        }, () -> String.valueOf(get("/api/v1/cameras/added-1")));
        JsonNode c = get("/api/v1/cameras/added-1");
        assertThat(c.get("url").asText()).isEqualTo(dome.info().rtspUrl());
        assertThat(c.get("subUrl").asText()).isEqualTo(dome.info().subRtspUrl());
        assertThat(c.get("recordSub").asBoolean()).isFalse();
        assertThat(c.has("password")).isFalse();
        JsonNode s = get("/api/v1/cameras/added-1/onvif");
        assertThat(s.get("state").asText()).isEqualTo("READY");
        assertThat(s.get("mainResolution").asText()).isEqualTo("1280x720");
        assertThat(s.get("subResolution").asText()).isEqualTo("640x360");
        // the sub stream is kept for tiles but not recorded by default
        assertThat(server.cameras().get("added-1").orElseThrow().hub("sub")).isNull();
        assertThat(server.cameras().get("added-1").orElseThrow().hub("main")).isNotNull();
    }

    @Test
    void ptzThroughTheApiMovesTheSimulatorsHeadAndIsAudited() throws Exception {
        SimulatedOnvifCamera dome = onvif.camera("dome-2");
        call("POST", "/api/v1/cameras", Map.of("id", "ptz-1", "onvif", dome.deviceServiceUrl(),
                "username", ONVIF_ACCOUNT.username(), "password", ONVIF_ACCOUNT.password()), 201);
        awaitReady("ptz-1");
        call("POST", "/api/v1/cameras/ptz-1/ptz/absolute", Map.of("pan", 0.5, "tilt", -0.25, "zoom", 0.3), 204);
        assertThat(dome.ptzPosition()).containsExactly(new double[] {0.5, -0.25, 0.3}, within(1e-6));
        call("POST", "/api/v1/cameras/ptz-1/ptz/relative", Map.of("pan", -0.1, "tilt", 0.05), 204);
        assertThat(dome.ptzPosition()).containsExactly(new double[] {0.4, -0.2, 0.3}, within(1e-6));
        JsonNode preset = call("POST", "/api/v1/cameras/ptz-1/ptz/presets", Map.of("name", "Fontaine"), 201);
        String presetToken = preset.get("token").asText();

        call("POST", "/api/v1/cameras/ptz-1/ptz/continuous", Map.of("pan", 1.0), 204);
        Await.until("head turning", Duration.ofSeconds(3), () -> dome.ptzPosition()[0] > 0.45);
        call("POST", "/api/v1/cameras/ptz-1/ptz/stop", Map.of(), 204);
        JsonNode st = get("/api/v1/cameras/ptz-1/ptz");
        assertThat(st.get("moving").asBoolean()).isFalse();
        assertThat(st.get("capabilities").get("absoluteMove").asBoolean()).isTrue();
        assertThat(st.get("position").get("pan").asDouble()).isGreaterThan(0.45);

        assertThat(get("/api/v1/cameras/ptz-1/ptz/presets").toString()).contains(presetToken, "Fontaine");
        call("POST", "/api/v1/cameras/ptz-1/ptz/presets/" + presetToken + "/goto", null, 204);
        assertThat(dome.ptzPosition()).containsExactly(new double[] {0.4, -0.2, 0.3}, within(1e-6));
        call("POST", "/api/v1/cameras/ptz-1/ptz/presets/no-such-preset/goto", null, 409);
        call("POST", "/api/v1/cameras/ptz-1/ptz/absolute", Map.of("pan", 7), 400);

        JsonNode audit = call("GET", "/api/v1/audit?action=ptz&camera=ptz-1", null, 200);
        String trail = audit.toString();
        for (String op : List.of("absolute", "relative", "preset.set", "continuous", "stop", "preset.goto")) {
            assertThat(trail).contains("\\\"op\\\":\\\"" + op + "\\\"");
        }
    }

    @Test
    void motionRaisedByTheCameraIsStoredAndSearchableWithinTwoSeconds() throws Exception {
        SimulatedOnvifCamera dome = onvif.camera("dome-3"); // the camera of the configuration file
        awaitReady("from-file");
        Await.until("subscribed", Duration.ofSeconds(10), () -> dome.activeSubscriptions() > 0);
        Instant from = Instant.now().minusSeconds(60);
        long raised = System.nanoTime();
        dome.raiseMotion(true);
        String query = "/api/v1/events?camera=from-file&type=motion&from=" + from;
        Await.until("motion event stored", Duration.ofSeconds(30), () -> get(query).size() > 0);
        long latencyMs = (System.nanoTime() - raised) / 1_000_000;
        System.out.println("motion raised -> returned by the events search: " + latencyMs + " ms");
        JsonNode e = get(query).get(0);
        assertThat(e.get("camera").asText()).isEqualTo("from-file");
        assertThat(e.get("type").asText()).isEqualTo("MOTION");
        assertThat(e.get("topic").asText()).isEqualTo("RuleEngine/CellMotionDetector/Motion");
        assertThat(e.get("active").asBoolean()).isTrue();

        // the camera's own snapshot, which GET /api/v1/cameras/{id}/snapshot.jpg tries first
        byte[] jpeg = server.onvif().snapshots().snapshot("from-file").orElseThrow();
        assertThat(jpeg[0] & 0xff).isEqualTo(0xFF);
        assertThat(jpeg[1] & 0xff).isEqualTo(0xD8);
        assertThat(server.onvif().snapshots().snapshot("no-such-camera")).isEmpty();
        HttpResponse<byte[]> viaApi = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.httpPort() + "/api/v1/cameras/from-file/snapshot.jpg"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(viaApi.statusCode()).isEqualTo(200);
        assertThat(viaApi.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(viaApi.body()).as("the API serves the camera's own snapshot first").isEqualTo(jpeg);

        dome.raiseTamper(true);
        Await.until("tamper event stored", Duration.ofSeconds(30),
                () -> get("/api/v1/events?camera=from-file&type=tamper&from=" + from).size() > 0);
    }

    @Test
    void wrongOnvifPasswordShowsAuthenticationOnThatCameraOnly() throws Exception {
        SimulatedOnvifCamera dome = onvif.camera("dome-2");
        call("POST", "/api/v1/cameras", Map.of("id", "wrong-password", "onvif", dome.deviceServiceUrl(),
                "username", ONVIF_ACCOUNT.username(), "password", "guess"), 201);
        Await.until("AUTHENTICATION", Duration.ofSeconds(10),
                () -> get("/api/v1/cameras/wrong-password/onvif").get("state").asText().equals("AUTHENTICATION"),
                () -> String.valueOf(get("/api/v1/cameras/wrong-password/onvif")));
        JsonNode s = get("/api/v1/cameras/wrong-password/onvif");
        assertThat(s.get("error").asText()).contains("NotAuthorized");
        assertThat(s.get("mainUrl").isNull()).isTrue();
        assertThat(get("/api/v1/cameras/wrong-password").get("url").isNull()).isTrue();
        call("POST", "/api/v1/cameras/wrong-password/ptz/stop", Map.of(), 503);
        // the other ONVIF camera is unaffected
        awaitReady("from-file");
        assertThat(get("/api/v1/cameras/from-file/onvif").get("state").asText()).isEqualTo("READY");
    }

    @Test
    void removingACameraUnsubscribesItsEvents() throws Exception {
        SimulatedOnvifCamera dome = onvif.camera("dome-1");
        call("POST", "/api/v1/cameras", Map.of("id", "removed-1", "onvif", dome.deviceServiceUrl(),
                "username", ONVIF_ACCOUNT.username(), "password", ONVIF_ACCOUNT.password()), 201);
        awaitReady("removed-1");
        Await.until("subscribed", Duration.ofSeconds(5),
                () -> get("/api/v1/cameras/removed-1/onvif").get("subscribed").asBoolean());
        long unsubscribed = dome.unsubscribes();
        call("DELETE", "/api/v1/cameras/removed-1", null, 204);
        Await.until("unsubscribed", Duration.ofSeconds(5), () -> dome.unsubscribes() == unsubscribed + 1);
        call("GET", "/api/v1/cameras/removed-1/onvif", null, 404);
    }

    @Test
    void anUnreachableCameraIsRetriedWithBackoffUntilItAnswers() throws Exception {
        int port = FreePort.pick(); // nothing listens there
        String deviceService = "http://127.0.0.1:" + port + "/onvif/late-1/device_service";
        call("POST", "/api/v1/cameras", Map.of("id", "late-1", "onvif", deviceService,
                "username", ONVIF_ACCOUNT.username(), "password", ONVIF_ACCOUNT.password()), 201);
        Await.until("UNREACHABLE", Duration.ofSeconds(10),
                () -> get("/api/v1/cameras/late-1/onvif").get("state").asText().equals("UNREACHABLE"));
        Await.until("a second attempt", Duration.ofSeconds(10),
                () -> get("/api/v1/cameras/late-1/onvif").get("attempts").asInt() >= 2);
        // the camera boots: its ONVIF face comes up on that address
        try (OnvifSimulator late = OnvifSimulator.start(OnvifSimulator.Options.defaults("127.0.0.1", port,
                ONVIF_ACCOUNT).withDiscoveryPort(-1), List.of(new SimulatedCameraInfo("late-1", "Late",
                rtsp.url(rtsp.cameraIds().get(2)).toString())))) {
            awaitReady("late-1");
            JsonNode s = get("/api/v1/cameras/late-1/onvif");
            assertThat(s.get("attempts").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(s.get("mainUrl").asText()).isEqualTo(late.camera("late-1").info().rtspUrl());
            call("DELETE", "/api/v1/cameras/late-1", null, 204);
        }
    }

    @Test
    void ptzNeedsAGrantOnTheCameraAndDiscoveryIsForAdministrators() throws Exception {
        SimulatedOnvifCamera dome = onvif.camera("dome-2");
        call("POST", "/api/v1/cameras", Map.of("id", "granted-1", "group", "district-7", "onvif",
                dome.deviceServiceUrl(), "username", ONVIF_ACCOUNT.username(), "password",
                ONVIF_ACCOUNT.password()), 201);
        call("POST", "/api/v1/cameras", Map.of("id", "other-1", "group", "district-8", "onvif",
                dome.deviceServiceUrl(), "username", ONVIF_ACCOUNT.username(), "password",
                ONVIF_ACCOUNT.password()), 201);
        call("POST", "/api/v1/users", Map.of("username", "op7", "password", "op7-password",
                "role", "operator", "groups", List.of("district-7")), 201);
        awaitReady("granted-1");
        String admin = token;
        try {
            token = call("POST", "/api/v1/auth/login", Map.of("username", "op7", "password", "op7-password"), 200)
                    .get("token").asText();
            call("POST", "/api/v1/cameras/granted-1/ptz/absolute", Map.of("pan", -0.5), 204);
            assertThat(dome.ptzPosition()[0]).isCloseTo(-0.5, within(1e-6));
            call("POST", "/api/v1/cameras/other-1/ptz/absolute", Map.of("pan", 0.9), 403);
            assertThat(dome.ptzPosition()[0]).isCloseTo(-0.5, within(1e-6));
            call("POST", "/api/v1/discovery", Map.of(), 403);
        } finally {
            token = admin;
        }
        String denied = call("GET", "/api/v1/audit?user=op7&action=access.denied", null, 200).toString();
        assertThat(denied).contains("other-1", "/api/v1/discovery");
    }

    // ---- helpers ----

    private static void awaitReady(String id) throws Exception {
        Await.until(id + " ONVIF ready", Duration.ofSeconds(15),
                () -> get("/api/v1/cameras/" + id + "/onvif").get("state").asText().equals("READY"),
                () -> String.valueOf(get("/api/v1/cameras/" + id + "/onvif")));
    }

    private static JsonNode device(JsonNode discovery, String epr) {
        for (JsonNode d : discovery.get("devices")) {
            if (d.get("endpointReference").asText().equals(epr)) return d;
        }
        throw new AssertionError("no device " + epr);
    }

    private static JsonNode get(String path) {
        try {
            return call("GET", path, null, 200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode call(String method, String path, Object body, int expectedStatus) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (body != null) b.header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + " -> " + r.body()).isEqualTo(expectedStatus);
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }
}
