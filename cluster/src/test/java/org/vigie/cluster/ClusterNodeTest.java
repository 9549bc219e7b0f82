package org.vigie.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes joining, leaving, dying and losing ZooKeeper, against a real three-server ZooKeeper ensemble (Curator's
 * TestingCluster, from the ZooKeeper release the project depends on). Each node's {@link AssignmentListener} is a
 * recorder of what it was told to record: the ingest behind it is the server's business.
 */
class ClusterNodeTest {

    static final int CAMERAS = 30;
    static final Duration SESSION = Duration.ofSeconds(4);

    TestingCluster zk;
    final List<ClusterNode> nodes = new ArrayList<>();
    final Map<String, Recording> listeners = new HashMap<>();
    volatile List<CameraSpec> cameras = cameras(CAMERAS);

    /** What one node was told to record, in order. */
    static final class Recording implements AssignmentListener {
        final List<Set<String>> history = new CopyOnWriteArrayList<>();
        volatile int camerasChanged;

        @Override
        public void assigned(Set<String> cameras) {
            history.add(cameras);
        }

        @Override
        public void camerasChanged() {
            camerasChanged++;
        }

        Set<String> now() {
            return history.isEmpty() ? Set.of() : history.get(history.size() - 1);
        }
    }

    static List<CameraSpec> cameras(int n) {
        List<CameraSpec> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) out.add(new CameraSpec(String.format("cam-%03d", i), null, 4000));
        return out;
    }

    @BeforeEach
    void ensemble() throws Exception {
        zk = new TestingCluster(3);
        zk.start();
    }

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(ClusterNode::close);
        zk.close();
    }

    ClusterNode join(String id, Duration rebalanceDelay) {
        Recording r = new Recording();
        listeners.put(id, r);
        ClusterNode n = ClusterNode.start(new ClusterSettings(zk.getConnectString(), id, "http://" + id,
                "rtsp://" + id, 400_000, SESSION, rebalanceDelay, Duration.ofSeconds(1)), () -> cameras, r,
                InstantSource.system());
        nodes.add(n);
        return n;
    }

    /** Every camera recorded by exactly one of {@code ids}. */
    boolean exactlyOnce(String... ids) {
        Map<String, Integer> seen = new HashMap<>();
        for (String id : ids) listeners.get(id).now().forEach(c -> seen.merge(c, 1, Integer::sum));
        return seen.size() == cameras.size() && seen.values().stream().allMatch(v -> v == 1);
    }

    boolean balanced(String... ids) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (String id : ids) {
            int n = listeners.get(id).now().size();
            min = Math.min(min, n);
            max = Math.max(max, n);
        }
        return max - min <= 1;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    String describe(String... ids) {
        StringBuilder b = new StringBuilder();
        for (String id : ids) b.append(id).append('=').append(listeners.get(id).now().size()).append(' ');
        return b.toString();
    }

    @Test
    void threeNodesShareTheCamerasExactlyOnceAndElectOneLeader() throws Exception {
        join("rec-01", Duration.ZERO);
        join("rec-02", Duration.ZERO);
        join("rec-03", Duration.ZERO);
        await("30 cameras exactly once, balanced", Duration.ofSeconds(30),
                () -> exactlyOnce("rec-01", "rec-02", "rec-03") && balanced("rec-01", "rec-02", "rec-03"));
        assertThat(nodes.stream().filter(ClusterNode::isLeader).count()).isEqualTo(1);
        await("every node sees the leader and the three nodes", Duration.ofSeconds(10), () -> nodes.stream()
                .allMatch(n -> n.view().leader() != null && n.view().nodes().size() == 3));
        ClusterView v = nodes.get(0).view();
        assertThat(v.nodes()).extracting(NodeInfo::api).containsExactly("http://rec-01", "http://rec-02",
                "http://rec-03");
        assertThat(v.assignment().cameras()).hasSize(CAMERAS);
    }

    /** A node that leaves (clean shutdown) gives its cameras up at once; the others take them. */
    @Test
    void camerasOfANodeThatLeavesGoToTheOthers() throws Exception {
        join("rec-01", Duration.ZERO);
        join("rec-02", Duration.ZERO);
        ClusterNode third = join("rec-03", Duration.ZERO);
        await("steady state", Duration.ofSeconds(30), () -> exactlyOnce("rec-01", "rec-02", "rec-03")
                && balanced("rec-01", "rec-02", "rec-03"));
        third.close();
        nodes.remove(third);
        await("15/15 on the survivors", Duration.ofSeconds(15), () -> exactlyOnce("rec-01", "rec-02")
                && balanced("rec-01", "rec-02"));
    }

    /**
     * A node whose session expires (as when its process freezes or its network fails) loses its cameras to the
     * others; meanwhile it is never told to stop them before it reads the new assignment, and once back it waits
     * the rebalance delay before cameras are moved back to it.
     */
    @Test
    void expiredNodeIsReplacedAndComesBackAfterTheRebalanceDelay() throws Exception {
        Duration delay = Duration.ofSeconds(6);
        join("rec-01", delay);
        join("rec-02", delay);
        ClusterNode third = join("rec-03", Duration.ZERO);
        cameras = cameras(CAMERAS); // placed at once: every node is young, orphans go anywhere
        await("steady state", Duration.ofSeconds(30), () -> exactlyOnce("rec-01", "rec-02", "rec-03"));
        Set<String> hadThird = new HashSet<>(listeners.get("rec-03").now());
        assertThat(hadThird).isNotEmpty();
        KillSession.kill(third.client().getZookeeperClient().getZooKeeper());
        await("rec-03's cameras recorded by rec-01 and rec-02", Duration.ofSeconds(20),
                () -> exactlyOnce("rec-01", "rec-02"));
        await("rec-03 registered again", Duration.ofSeconds(20),
                () -> nodes.get(0).view().nodes().stream().anyMatch(n -> n.id().equals("rec-03")));
        long backAt = System.nanoTime();
        await("rec-03 handed its cameras over", Duration.ofSeconds(20), () -> listeners.get("rec-03").now().isEmpty());
        await("rebalanced after the delay", Duration.ofSeconds(40), () -> exactlyOnce("rec-01", "rec-02", "rec-03")
                && balanced("rec-01", "rec-02", "rec-03"));
        // the rebalance delay counts from rec-03's new registration (rebalance-delay of the leader: 6 s)
        assertThat(Duration.ofNanos(System.nanoTime() - backAt)).isGreaterThan(delay.minusSeconds(2));
    }

    /** The ZooKeeper leader dies: sessions move to the other servers, no camera changes node. */
    @Test
    void zookeeperLeaderKilledMovesNoCamera() throws Exception {
        join("rec-01", Duration.ZERO);
        join("rec-02", Duration.ZERO);
        join("rec-03", Duration.ZERO);
        await("steady state", Duration.ofSeconds(30), () -> exactlyOnce("rec-01", "rec-02", "rec-03")
                && balanced("rec-01", "rec-02", "rec-03"));
        Map<String, Integer> changes = new HashMap<>();
        listeners.forEach((id, r) -> changes.put(id, r.history.size()));
        InstanceSpec leader = zkLeader();
        assertThat(zk.killServer(leader)).isTrue();
        Thread.sleep(SESSION.toMillis() * 2); // longer than a session: a node that lost its session would show it
        await("a new ZooKeeper leader and every node connected", Duration.ofSeconds(20),
                () -> nodes.stream().allMatch(ClusterNode::connected));
        listeners.forEach((id, r) -> assertThat(r.history.size()).as(id + " was told to change").isEqualTo(
                changes.get(id)));
        assertThat(exactlyOnce("rec-01", "rec-02", "rec-03")).isTrue();
    }

    /**
     * ZooKeeper unreachable for longer than a session (quorum lost): every node keeps recording its cameras, then
     * reconciles once the ensemble is back, each camera again recorded exactly once.
     */
    @Test
    void nodesKeepRecordingWithoutZookeeperAndReconcile() throws Exception {
        join("rec-01", Duration.ZERO);
        join("rec-02", Duration.ZERO);
        await("steady state", Duration.ofSeconds(30), () -> exactlyOnce("rec-01", "rec-02")
                && balanced("rec-01", "rec-02"));
        Map<String, Set<String>> before = new HashMap<>();
        listeners.forEach((id, r) -> before.put(id, r.now()));
        List<InstanceSpec> stopped = new ArrayList<>();
        for (InstanceSpec s : zk.getInstances()) {
            if (stopped.size() < 2) {
                zk.killServer(s);
                stopped.add(s);
            }
        }
        await("nodes see ZooKeeper unreachable", Duration.ofSeconds(20),
                () -> nodes.stream().noneMatch(ClusterNode::connected));
        Thread.sleep(SESSION.toMillis() + 2000);
        listeners.forEach((id, r) -> assertThat(r.now()).as(id + " kept its cameras").isEqualTo(before.get(id)));
        for (InstanceSpec s : stopped) zk.restartServer(s);
        await("reconnected and each camera exactly once", Duration.ofSeconds(60),
                () -> nodes.stream().allMatch(ClusterNode::connected) && exactlyOnce("rec-01", "rec-02"));
        listeners.forEach((id, r) -> assertThat(r.history).as(id + " never told to record nothing")
                .noneMatch(Set::isEmpty));
    }

    @Test
    void camerasChangedOnOneNodeReachEveryNodeAndTheLeader() throws Exception {
        ClusterNode a = join("rec-01", Duration.ZERO);
        join("rec-02", Duration.ZERO);
        await("steady state", Duration.ofSeconds(30), () -> exactlyOnce("rec-01", "rec-02"));
        cameras = cameras(CAMERAS + 2);
        a.camerasChanged();
        await("both nodes told", Duration.ofSeconds(10), () -> listeners.values().stream()
                .allMatch(r -> r.camerasChanged > 0));
        await("the new cameras placed", Duration.ofSeconds(10), () -> exactlyOnce("rec-01", "rec-02"));
    }

    /** The ensemble's leader, asked of each server with ZooKeeper's "srvr" command (allowed by default). */
    private InstanceSpec zkLeader() throws Exception {
        for (int i = 0; i < 100; i++) {
            for (InstanceSpec spec : zk.getInstances()) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", spec.getPort())) {
                    s.getOutputStream().write("srvr".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    String answer = new String(s.getInputStream().readAllBytes(),
                            java.nio.charset.StandardCharsets.US_ASCII);
                    if (answer.contains("Mode: leader")) return spec;
                } catch (java.io.IOException e) {
                    // not up yet
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ZooKeeper leader");
    }
}
