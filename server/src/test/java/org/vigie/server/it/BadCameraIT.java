package org.vigie.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.ingest.CameraState;
import org.vigie.ingest.CameraStatus;
import org.vigie.ingest.IngestErrorKind;
import org.vigie.media.StreamKey;
import org.vigie.server.VmsServer;
import org.vigie.server.camera.Camera;
import org.vigie.server.config.VmsConfig;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.GarbageRtspServer;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.testing.Await;

/**
 * Issue #2 acceptance: a URL that is not RTSP, wrong credentials, a server that answers garbage: that camera shows
 * the error in its state, and the other cameras keep recording without losing a frame.
 */
class BadCameraIT {

    @TempDir
    Path storage;

    /** Once per ingest engine (issue 11): the Java RTSP client, then GStreamer. */
    @ParameterizedTest(name = "engine {0}")
    @ValueSource(strings = {"java", "gstreamer"})
    void brokenCamerasShowTheirErrorAndTheOthersRecordEveryFrame(String engine) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            byte[] body = "<html>this is a web server</html>".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();
        try (CameraSimulator good = CameraSimulator.start(0, 2, SimulatorOptions.defaults());
             CameraSimulator locked = CameraSimulator.start(0, 1,
                     SimulatorOptions.defaults().withCredentials("admin", "right-password"));
             GarbageRtspServer garbage = new GarbageRtspServer(42)) {
            URI notRtsp = URI.create("rtsp://127.0.0.1:" + http.getAddress().getPort() + "/index.html");
            VmsConfig config = VmsConfig.parse("""
                    server: { bind-address: 127.0.0.1, http-port: 0, rtsp-port: 0 }
                    storage: { path: '%s', segment-duration: 10s }
                    ingest: { engine: %s, reconnect-min: 200ms, reconnect-max: 1s }
                    cameras:
                      - { id: good-1, url: '%s' }
                      - { id: good-2, url: '%s' }
                      - { id: not-rtsp, url: '%s' }
                      - { id: wrong-password, url: '%s', username: admin, password: wrong-password }
                      - { id: garbage, url: '%s' }
                    """.formatted(storage, engine, good.url(good.cameraIds().get(0)), good.url(good.cameraIds().get(1)),
                    notRtsp, locked.url(locked.cameraIds().get(0)), garbage.url("cam")));
            try (VmsServer server = VmsServer.start(config, InstantSource.system())) {
                Map<String, IngestErrorKind> expected = Map.of(
                        "not-rtsp", IngestErrorKind.PROTOCOL_ERROR,
                        "wrong-password", IngestErrorKind.AUTHENTICATION_FAILED,
                        "garbage", IngestErrorKind.PROTOCOL_ERROR);
                for (var e : expected.entrySet()) {
                    Camera cam = server.cameras().get(e.getKey()).orElseThrow();
                    Await.until(e.getKey() + " reports " + e.getValue(), Duration.ofSeconds(30), () -> {
                        CameraStatus s = cam.mainStatus();
                        return s.state() != CameraState.STREAMING && s.lastError() != null
                                && s.lastError().kind() == e.getValue();
                    }, () -> String.valueOf(cam.mainStatus()));
                }
                List<String> goodIds = List.of("good-1", "good-2");
                for (String id : goodIds) {
                    Camera cam = server.cameras().get(id).orElseThrow();
                    Await.until(id + " streaming", Duration.ofSeconds(20), () -> cam.state() == CameraState.STREAMING);
                }
                Thread.sleep(3_000);
                Instant from = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                Thread.sleep(20_000);
                Instant to = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                long windowEnd = to.toEpochMilli() * 1000;
                for (String id : goodIds) {
                    Await.until(id + ": the window's last fragment published", Duration.ofSeconds(15), () -> server
                            .recorder().catalog().last(StreamKey.main(id)).map(s -> s.endMicros() >= windowEnd)
                            .orElse(false));
                }
                for (String id : goodIds) {
                    StreamKey key = StreamKey.main(id);
                    long frames = org.vigie.recorder.testing.RecordedFrames.count(server.recorder().archive(), key, from, to);
                    double expectedFrames = 25.0 * Duration.between(from, to).toMillis() / 1000.0;
                    assertThat((double) frames).as("frames of %s in a %s window", id, Duration.between(from, to))
                            .isCloseTo(expectedFrames, org.assertj.core.data.Offset.offset(1.5));
                    assertThat(server.recorder().archive().gaps(key, from, to)).isEmpty();
                    assertThat(server.recorder().stats(key).orElseThrow().framesDropped()).isZero();
                    assertThat(server.cameras().get(id).orElseThrow().mainStatus().reconnects()).isZero();
                }
                for (String id : expected.keySet()) {
                    assertThat(server.recorder().catalog().segments(StreamKey.main(id))).isEmpty();
                }
            }
        } finally {
            http.stop(0);
        }
    }
}
