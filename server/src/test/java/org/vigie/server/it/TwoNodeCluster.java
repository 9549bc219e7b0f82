package org.vigie.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.vigie.server.VmsServer;
import org.vigie.server.config.VmsConfig;
import org.vigie.server.store.ThrowawayPostgres;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.ClipPreset;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.testing.FreePort;

/**
 * Two nodes, rec-01 and rec-02, of one cluster in this JVM: a real ZooKeeper server (Curator's {@code TestingServer}),
 * a database of its own in the shared throwaway PostgreSQL, and one simulated 240p camera pinned to rec-01, with the
 * per-node HTTP calls of the cluster's ITs. Every port is free at run time: ZooKeeper's are Curator's pick, each
 * node's HTTP and RTSP ports are picked before it starts (a node advertises them) and kept across its restarts.
 * Nodes start and stop when the test says; {@link #close()} stops the nodes, then the camera, then ZooKeeper.
 */
final class TwoNodeCluster implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final String password;
    final String secret;
    private final Path dir;
    private final String rebalanceDelay;
    private final ThrowawayPostgres pg = ThrowawayPostgres.shared();
    private final String db;
    private final TestingServer zk;
    private final CameraSimulator sim;
    private final int[] httpPorts = {0, FreePort.pick(), FreePort.pick()};
    private final int[] rtspPorts = {0, FreePort.pick(), FreePort.pick()};
    private final VmsServer[] nodes = new VmsServer[3];
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /**
     * ZooKeeper, the database and the camera, no node yet; {@code name} makes the admin's password
     * ({@code <name>-admin-pw}) and the cluster's secret ({@code <name>-it-cluster-secret}).
     */
    TwoNodeCluster(Path dir, String name, String rebalanceDelay) throws Exception {
        this.dir = dir;
        this.password = name + "-admin-pw";
        this.secret = name + "-it-cluster-secret";
        this.rebalanceDelay = rebalanceDelay;
        this.db = pg.createDatabase();
        this.zk = new TestingServer(new InstanceSpec(dir.resolve("zk").toFile(), -1, -1, -1, true, 1, 1000, 100,
                Map.of(), "127.0.0.1"), true);
        try {
            this.sim = CameraSimulator.start(0, 1, SimulatorOptions.defaults().withPreset(ClipPreset.SMALL_240P));
        } catch (Exception e) {
            zk.close();
            throw e;
        }
    }

    /** The simulated camera's id. */
    String camera() {
        return sim.cameraIds().get(0);
    }

    /** Starts node rec-0{@code n} (1 or 2), again after a {@link #stop}: same ports, same storage. */
    VmsServer start(int n) throws Exception {
        String cam = camera();
        nodes[n] = VmsServer.start(VmsConfig.parse("""
                server: { bind-address: 127.0.0.1, http-port: %d, rtsp-port: %d }
                storage: { path: '%s', segment-duration: 10s, fragment-duration: 1s }
                auth: { admin-password: '%s', argon2-memory-kib: 8, argon2-iterations: 1 }
                database: { url: '%s', username: %s }
                cluster:
                  zookeeper: '%s'
                  node-id: rec-0%d
                  advertise: http://127.0.0.1:%d
                  session-timeout: 2s
                  rebalance-delay: %s
                  secret: %s
                cameras:
                  - { id: %s, url: '%s', pin: rec-01 }
                """.formatted(port(n), rtspPorts[n], dir.resolve("storage-" + n), password, pg.url(db),
                ThrowawayPostgres.USER, zk.getConnectString(), n, port(n), rebalanceDelay, secret, cam,
                sim.url(cam))), InstantSource.system());
        return nodes[n];
    }

    /** Node rec-0{@code n} stopped cleanly (its ZooKeeper session closed); a no-op if it is not running. */
    void stop(int n) throws IOException {
        VmsServer node = nodes[n];
        nodes[n] = null;
        if (node != null) node.close();
    }

    /** Node rec-0{@code n}, or null when it is not running. */
    VmsServer node(int n) {
        return nodes[n];
    }

    /** The HTTP port of node rec-0{@code n}. */
    int port(int n) {
        return httpPorts[n];
    }

    /** {@code http://127.0.0.1:<port>} of node rec-0{@code n} (a WebSocket's origin). */
    String origin(int n) {
        return "http://127.0.0.1:" + port(n);
    }

    /** The multiplexed stream endpoint of node rec-0{@code n}. */
    URI stream(int n) {
        return URI.create("ws://127.0.0.1:" + port(n) + "/api/v1/stream");
    }

    /** The admin's token on node rec-0{@code n}. */
    String login(int n) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(origin(n) + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password
                        + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("token").asText();
    }

    /** GET of node rec-0{@code n} with the bearer {@code token} (none if null), within 10 s. */
    HttpResponse<String> get(int n, String token, String pathAndQuery) throws Exception {
        return getAs(n, token == null ? null : "Bearer " + token, pathAndQuery);
    }

    /** GET of node rec-0{@code n} with this {@code Authorization} header (none if null), within 10 s. */
    HttpResponse<String> getAs(int n, String authorization, String pathAndQuery) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin(n) + pathAndQuery))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET of node rec-0{@code n} for bytes (an export, a snapshot), within {@code timeout}. */
    HttpResponse<byte[]> bytes(int n, String token, String pathAndQuery, Duration timeout) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(origin(n) + pathAndQuery))
                .header("Authorization", "Bearer " + token).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A JSON {@code method} (PUT, POST...) to node rec-0{@code n}, within 10 s. */
    HttpResponse<String> send(int n, String token, String method, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(origin(n) + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        try {
            stop(2);
        } finally {
            try {
                stop(1);
            } finally {
                try {
                    sim.close();
                } finally {
                    zk.close();
                }
            }
        }
    }
}
