package org.vigie.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import org.vigie.testing.ApiClient;
import org.vigie.testing.Await;
import org.vigie.testing.FreePort;

/**
 * Two nodes, rec-01 and rec-02, of one cluster in this JVM: a real ZooKeeper server (Curator's {@code TestingServer}),
 * a database of its own in the shared throwaway PostgreSQL, and one simulated 240p camera pinned to rec-01; each
 * node's API through {@link ApiClient}. Every port is free at run time: ZooKeeper's are Curator's pick, each
 * node's HTTP and RTSP ports are picked before it starts (a node advertises them) and kept across its restarts.
 * Nodes start and stop when the test says; {@link #close()} stops the nodes, then the camera, then ZooKeeper.
 */
final class TwoNodeCluster implements AutoCloseable {

    private final String password;
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

    /**
     * Starts rec-01, then rec-02, and waits until rec-01 records the camera and rec-02 knows it, both nodes in each
     * other's view.
     */
    void startBoth() throws Exception {
        VmsServer r1 = start(1);
        VmsServer r2 = start(2);
        String cam = camera();
        Await.until("the camera recorded by rec-01, rec-02 knowing it", Duration.ofSeconds(60),
                () -> r1.cluster().recording().contains(cam) && "rec-01".equals(r2.cluster().nodeOf(cam))
                        && r2.cluster().view().nodes().size() == 2);
    }

    /** The camera's recordings timeline of the last 10 minutes, as the node {@code api} asks shows it. */
    JsonNode timeline(ApiClient api) throws Exception {
        return ApiClient.json(api.get("/api/v1/cameras/" + camera() + "/recordings?from="
                + Instant.now().minusSeconds(600) + "&to=" + Instant.now().plusSeconds(5)));
    }

    /** A client of node rec-0{@code n}'s API, logged in as the admin. */
    ApiClient admin(int n) throws Exception {
        return new ApiClient(port(n)).login("admin", password);
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
