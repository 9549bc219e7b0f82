package org.vigie.server.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.vigie.ingest.CameraState;
import org.vigie.server.VmsServer;
import org.vigie.server.config.VmsConfig;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.testing.Await;

/**
 * The streaming ITs' world: two simulated cameras ({@code cam-1}, {@code cam-2}; 720p25, GOP 2 s) recorded by an
 * in-process {@link VmsServer} with its HTTP API on an ephemeral port, and the administrator's bearer token got
 * through {@code POST /api/v1/auth/login}.
 */
final class StreamingFixture implements AutoCloseable {

    static final String PASSWORD = "streaming-admin-pw";

    final CameraSimulator simulator;
    final VmsServer server;
    final String token;

    StreamingFixture(Path dir) throws Exception {
        simulator = CameraSimulator.start(0, 2, SimulatorOptions.defaults());
        VmsConfig config = VmsConfig.parse("""
                storage: { path: '%s', segment-duration: 10s }
                server: { http-port: 0, rtsp-port: 0, bind-address: 127.0.0.1 }
                auth: { admin-password: '%s', argon2-memory-kib: 8, argon2-iterations: 1 }
                cameras:
                  - { id: cam-1, url: '%s' }
                  - { id: cam-2, url: '%s' }
                """.formatted(dir.resolve("storage"), PASSWORD, simulator.url(simulator.cameraIds().get(0)),
                simulator.url(simulator.cameraIds().get(1))));
        server = VmsServer.start(config, InstantSource.system());
        Await.until("cameras streaming", Duration.ofSeconds(30), () -> server.cameras().list().stream()
                .allMatch(c -> c.state() == CameraState.STREAMING));
        token = login();
    }

    private String login() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("login failed: " + r.statusCode() + " " + r.body());
        return new ObjectMapper().readTree(r.body()).path("token").asText();
    }

    URI streamUri() {
        return URI.create("ws://127.0.0.1:" + server.httpPort() + "/api/v1/stream");
    }

    String authorization() {
        return "Bearer " + token;
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            simulator.close();
        }
    }
}
