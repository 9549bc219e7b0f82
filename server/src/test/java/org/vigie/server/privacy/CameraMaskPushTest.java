package org.vigie.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.VmsServer;
import org.vigie.testing.ApiClient;
import org.vigie.server.api.TestServers;
import org.vigie.server.config.VmsConfig;
import org.vigie.simulator.onvif.OnvifSimulator;
import org.vigie.simulator.onvif.SimulatedCameraInfo;
import org.vigie.simulator.onvif.SimulatedOnvifCamera;
import org.vigie.simulator.onvif.SimulatorCredentials;

/**
 * Issue 14 at the camera: a real server and the ONVIF simulator (Media2 masks) on 127.0.0.1. The permanent masks
 * of an ONVIF camera are pushed to it (in ONVIF's coordinates), liftable ones never, and the camera's state says
 * whether it enforces them. No video is needed: the camera's RTSP address answers nothing.
 */
class CameraMaskPushTest {

    @TempDir
    static Path dir;

    static OnvifSimulator onvif;
    static VmsServer server;
    static ApiClient admin;
    static final SimulatorCredentials ACCOUNT = new SimulatorCredentials("onvif", "onvif-pw-1");

    @BeforeAll
    static void start() throws Exception {
        onvif = OnvifSimulator.start(OnvifSimulator.Options.defaults("127.0.0.1", 0, ACCOUNT),
                List.of(new SimulatedCameraInfo("dome", "Dôme", "rtsp://127.0.0.1:9/dome")));
        String yaml = TestServers.yaml(dir, """

                  - { id: dome, onvif: '%s', username: '%s', password: '%s' }
                  - { id: plain, url: 'rtsp://127.0.0.1:9/plain', enabled: false }
                """.formatted(onvif.camera("dome").deviceServiceUrl(), ACCOUNT.username(), ACCOUNT.password()));
        server = VmsServer.start(VmsConfig.parse(yaml), InstantSource.system(),
                new org.vigie.systemd.SystemdNotifier(null, null), null);
        admin = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        onvif.close();
    }

    private static JsonNode atCamera(String id) throws Exception {
        return ApiClient.json(admin.get("/api/v1/cameras/" + id + "/state")).get("privacyMasksAtCamera");
    }

    @Test
    void permanentMasksArePushedToTheCameraAndItsStateSaysItEnforcesThem() throws Exception {
        SimulatedOnvifCamera dome = onvif.camera("dome");
        assertThat(admin.send("PUT", "/api/v1/cameras/dome/masks", Map.of("masks", List.of(
                Map.of("id", "home", "kind", "permanent", "polygon", List.of(List.of(0, 0), List.of(0.5, 0),
                        List.of(0.5, 0.5), List.of(0, 0.5))),
                Map.of("id", "yard", "kind", "liftable", "polygon", List.of(List.of(0.5, 0.5), List.of(1, 0.5),
                        List.of(1, 1)))))).statusCode()).isEqualTo(200);
        TestServers.await("the dome enforcing version 1", Duration.ofSeconds(30), () -> {
            JsonNode a = atCamera("dome");
            return a != null && !a.isNull() && a.get("state").asText().equals("enforced") && a.get("version").asLong() == 1;
        });
        assertThat(dome.privacyMaskCount()).as("the permanent mask only").isEqualTo(1);
        List<double[]> poly = dome.privacyMaskPolygons().get(0);
        assertThat(poly.get(0)).containsExactly(-1.0, 1.0);
        assertThat(poly.get(2)).containsExactly(0.0, 0.0);
        assertThat(atCamera("plain").isNull()).as("not an ONVIF camera").isTrue();

        // only a liftable mask left: nothing on the camera
        assertThat(admin.send("PUT", "/api/v1/cameras/dome/masks", Map.of("masks", List.of(
                Map.of("id", "yard", "kind", "liftable", "polygon", List.of(List.of(0.5, 0.5), List.of(1, 0.5),
                        List.of(1, 1)))))).statusCode()).isEqualTo(200);
        TestServers.await("the dome holding no mask", Duration.ofSeconds(30), () -> atCamera("dome")
                .get("version").asLong() == 2 && dome.privacyMaskCount() == 0);
        assertThat(atCamera("dome").get("state").asText()).isEqualTo("none");
    }
}
