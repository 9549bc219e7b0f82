package org.vigie.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.vigie.testing.FreePort;
import org.apache.curator.test.TestingCluster;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.server.store.ThrowawayPostgres;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.ClipPreset;
import org.vigie.simulator.SimulatorOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vms bench failover}: a cluster of server nodes (the production jar, one process each), a three-server
 * ZooKeeper (Curator's TestingCluster), a throwaway PostgreSQL and simulated cameras; {@code --kills} times, a random
 * node is killed with SIGKILL, the per-camera gap of each of its cameras is measured in the merged timeline of every
 * node's recordings, and the node is started again (it takes its share back after {@code --rebalance-delay}). Writes
 * every gap and their distribution to {@code bench-results/failover-<time>.txt}. Every port is picked free at run time.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "Kill random nodes of a local cluster; distribution of the per-camera recording gap.")
final class FailoverBench implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "3") int nodes;
    @Option(names = "--cameras", defaultValue = "9") int cameras;
    @Option(names = "--kills", defaultValue = "10") int kills;
    @Option(names = "--session-timeout", defaultValue = "2s", description = "cluster.session-timeout (2s..60s)")
    String sessionTimeout;
    @Option(names = "--rebalance-delay", defaultValue = "5s") String rebalanceDelay;
    @Option(names = "--seed", defaultValue = "13") long seed;
    @Option(names = "--out", defaultValue = "bench-results") Path out;

    static final String ADMIN_PASSWORD = "failover-bench-admin";
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, String> tokens = new HashMap<>();
    private Path dir;
    private int[] httpPorts;

    @Override
    public Integer call() throws Exception {
        dir = Files.createTempDirectory("vigie-failover");
        httpPorts = FreePort.pick(nodes);
        Files.createDirectories(out);
        Path report = out.resolve("failover-" + Instant.now().toString().replace(':', '-') + ".txt");
        List<String> lines = new ArrayList<>();
        ThrowawayPostgres pg = ThrowawayPostgres.start();
        List<InstanceSpec> specs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // -1: Curator picks free client, quorum and election ports
            specs.add(new InstanceSpec(Files.createDirectories(dir.resolve("zk" + i)).toFile(), -1, -1, -1, true,
                    i + 1, 500, 100, Map.of("initLimit", "20", "syncLimit", "8"), "127.0.0.1"));
        }
        Map<String, Process> running = new TreeMap<>();
        Random random = new Random(seed);
        List<Long> gapsMs = new ArrayList<>();
        try (TestingCluster zk = new TestingCluster(specs);
             CameraSimulator sim = CameraSimulator.start(0, cameras,
                     SimulatorOptions.defaults().withPreset(ClipPreset.SMALL_240P))) {
            zk.start();
            String db = pg.createDatabase();
            StringBuilder cams = new StringBuilder();
            for (String id : sim.cameraIds()) {
                cams.append("  - { id: ").append(id).append(", url: '").append(sim.url(id)).append("' }\n");
            }
            for (int n = 1; n <= nodes; n++) {
                String id = node(n);
                Files.writeString(dir.resolve(id + ".yaml"), """
                        server: { bind-address: 127.0.0.1, http-port: %d, rtsp-port: 0 }
                        storage: { path: '%s', segment-duration: 10s, fragment-duration: 1s }
                        auth: { admin-password: '%s' }
                        database: { url: '%s', username: %s }
                        cluster:
                          zookeeper: '%s'
                          node-id: %s
                          advertise: http://127.0.0.1:%d
                          session-timeout: %s
                          rebalance-delay: %s
                          secret: failover-bench-cluster-secret
                        cameras:
                        %s""".formatted(httpPort(n), storage(id), ADMIN_PASSWORD, pg.url(db),
                        ThrowawayPostgres.USER, zk.getConnectString(), id, httpPort(n), sessionTimeout,
                        rebalanceDelay, cams));
                running.put(id, start(id));
            }
            lines.add("vms bench failover: " + nodes + " nodes, " + cameras + " cameras (240p), session-timeout "
                    + sessionTimeout + ", rebalance-delay " + rebalanceDelay + ", " + kills + " kills, seed " + seed);
            for (int k = 1; k <= kills; k++) {
                until("steady state", Duration.ofMinutes(3), this::steady);
                String victim = node(1 + random.nextInt(nodes));
                JsonNode view = cluster(other(victim));
                boolean wasLeader = victim.equals(view.path("leader").asText());
                Set<String> orphans = new TreeSet<>();
                view.path("cameras").fields().forEachRemaining(e -> {
                    if (e.getValue().asText().equals(victim)) orphans.add(e.getKey());
                });
                Instant killedAt = Instant.now();
                running.get(victim).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                tokens.remove(victim);
                Set<String> survivors = new TreeSet<>(running.keySet());
                survivors.remove(victim);
                until("the killed node's cameras recorded again", Duration.ofMinutes(1),
                        () -> {
                            for (String c : orphans) {
                                if (!recordedAfter(c, survivors, killedAt)) return false;
                            }
                            return true;
                        });
                Map<String, Long> gaps = new TreeMap<>();
                for (String c : orphans) {
                    long g = gapAround(c, running.keySet(), killedAt).toMillis();
                    gaps.put(c, g);
                    gapsMs.add(g);
                }
                String line = "kill " + k + ": " + victim + (wasLeader ? " (leader)" : "") + ", gaps ms " + gaps;
                System.out.println(line);
                lines.add(line);
                running.put(victim, start(victim)); // back: takes its share after the rebalance delay
            }
        } finally {
            for (Process p : running.values()) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            pg.close();
            try (var all = Files.walk(dir)) { // the nodes' recordings and logs, the ensemble's data
                all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        gapsMs.sort(Comparator.naturalOrder());
        String summary = gapsMs.isEmpty() ? "no gap measured" : "per-camera gap over " + gapsMs.size()
                + " camera failovers: min " + gapsMs.get(0) + " ms, median " + pct(gapsMs, 50) + " ms, p90 "
                + pct(gapsMs, 90) + " ms, max " + gapsMs.get(gapsMs.size() - 1) + " ms, over 15 s: "
                + gapsMs.stream().filter(g -> g > 15_000).count();
        System.out.println(summary);
        lines.add(summary);
        Files.write(report, lines);
        System.out.println("written to " + report);
        return 0;
    }

    /** A condition on the live cluster, polled (the bench's own: test-support stays out of production jars). */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    static void until(String what, Duration timeout, Condition c) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.holds()) {
            if (System.nanoTime() > deadline) throw new IOException("timed out after " + timeout + ": " + what);
            Thread.sleep(200);
        }
    }

    static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static String node(int n) {
        return "rec-" + String.format("%02d", n);
    }

    String other(String node) {
        return node.equals(node(1)) ? node(2) : node(1);
    }

    /** Node n's HTTP port, picked free at the start: each node advertises its own before it starts. */
    int httpPort(int n) {
        return httpPorts[n - 1];
    }

    Path storage(String node) {
        return dir.resolve("storage-" + node);
    }

    Process start(String id) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", BenchCommand.serverJar().toString(), "run", "--config", dir.resolve(id + ".yaml").toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".log").toFile())).start();
    }

    /** Every node up and connected, the cameras within one of even, each node recording exactly its share. */
    boolean steady() {
        try {
            for (int n = 1; n <= nodes; n++) {
                String id = node(n);
                JsonNode v = cluster(id);
                if (!v.path("connected").asBoolean() || v.path("cameras").size() != cameras) return false;
                Map<String, Integer> counts = new HashMap<>();
                v.path("cameras").forEach(x -> counts.merge(x.asText(), 1, Integer::sum));
                int min = counts.values().stream().min(Integer::compare).orElse(0);
                int max = counts.values().stream().max(Integer::compare).orElse(0);
                if (counts.size() != nodes || max - min > 1) return false;
                Set<String> mine = new TreeSet<>();
                v.path("cameras").fields().forEachRemaining(e -> {
                    if (e.getValue().asText().equals(id)) mine.add(e.getKey());
                });
                Set<String> here = new TreeSet<>();
                v.path("recordingHere").forEach(c -> here.add(c.asText()));
                if (!here.equals(mine)) return false;
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    JsonNode cluster(String node) throws Exception {
        int n = Integer.parseInt(node.substring(node.length() - 2));
        String token = tokens.get(node);
        if (token == null) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort(n) + "/api/v1/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\""
                            + ADMIN_PASSWORD + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IOException("login on " + node + ": " + r.body());
            token = JSON.readTree(r.body()).path("token").asText();
            tokens.put(node, token);
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort(n) + "/api/v1/cluster"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(node + ": " + r.statusCode());
        return JSON.readTree(r.body());
    }

    /** Whether one of {@code nodes} has an indexed fragment of {@code camera} that starts after the kill. */
    boolean recordedAfter(String camera, Set<String> on, Instant killedAt) throws IOException {
        long kill = killedAt.toEpochMilli() * 1000;
        for (String node : on) {
            for (SegmentInfo s : Catalog.load(storage(node)).segments(StreamKey.main(camera))) {
                if (s.endMicros() > kill && s.fragmentCount() > 0) return true;
            }
        }
        return false;
    }

    /** The widest hole of {@code camera}'s merged timeline (every node's recordings) that ends after the kill. */
    Duration gapAround(String camera, Set<String> on, Instant killedAt) throws IOException {
        List<SegmentInfo> all = new ArrayList<>();
        for (String node : on) all.addAll(Catalog.load(storage(node)).segments(StreamKey.main(camera)));
        all.sort(Comparator.comparingLong(SegmentInfo::startMicros));
        long covered = Long.MIN_VALUE;
        long kill = killedAt.toEpochMilli() * 1000;
        long widest = 0;
        for (SegmentInfo s : all) {
            if (covered != Long.MIN_VALUE && s.startMicros() >= kill - 5_000_000L) {
                widest = Math.max(widest, s.startMicros() - covered);
            }
            covered = Math.max(covered, s.endMicros());
        }
        return Duration.ofNanos(widest * 1000);
    }
}
