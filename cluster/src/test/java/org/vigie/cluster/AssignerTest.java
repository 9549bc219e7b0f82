package org.vigie.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The leader's placement rules, one named case each, as a pure function. */
class AssignerTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final Duration DELAY = Duration.ofMinutes(2);
    static final Instant OLD = NOW.minus(Duration.ofHours(1));

    static NodeInfo node(String id, Instant joined) {
        return new NodeInfo(id, "http://" + id + ":8080", "rtsp://" + id + ":8554", 400_000, joined);
    }

    static List<CameraSpec> cameras(int n) {
        List<CameraSpec> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) out.add(new CameraSpec(String.format("cam-%03d", i), null, 4000));
        return out;
    }

    static Map<String, Integer> counts(Map<String, String> placement) {
        Map<String, Integer> out = new TreeMap<>();
        placement.values().forEach(n -> out.merge(n, 1, Integer::sum));
        return out;
    }

    static Assignment of(Map<String, String> placement) {
        return new Assignment(1, "x", placement);
    }

    @Test
    void coldStartSpreadsEvenly() {
        Map<String, String> p = Assigner.assign(cameras(30), List.of(node("a", NOW), node("b", NOW), node("c", NOW)),
                Assignment.EMPTY, NOW, DELAY);
        assertThat(p).hasSize(30);
        assertThat(counts(p)).containsEntry("a", 10).containsEntry("b", 10).containsEntry("c", 10);
    }

    @Test
    void noLiveNodeRecordsNothing() {
        assertThat(Assigner.assign(cameras(3), List.of(), Assignment.EMPTY, NOW, DELAY)).isEmpty();
    }

    @Test
    void camerasStayWhereTheyAreWithoutAReason() {
        Map<String, String> prev = new TreeMap<>();
        for (CameraSpec c : cameras(31)) prev.put(c.id(), c.id().compareTo("cam-011") < 0 ? "a"
                : c.id().compareTo("cam-021") < 0 ? "b" : "c");
        Map<String, String> p = Assigner.assign(cameras(31), List.of(node("a", OLD), node("b", OLD), node("c", OLD)),
                of(prev), NOW, DELAY);
        assertThat(p).isEqualTo(prev); // 10/10/11 is within one camera: nothing moves
    }

    @Test
    void deadNodesCamerasGoToTheSurvivorsAtOnceAndEvenly() {
        List<NodeInfo> three = List.of(node("a", OLD), node("b", OLD), node("c", OLD));
        Map<String, String> steady = Assigner.assign(cameras(30), three, Assignment.EMPTY, NOW, DELAY);
        Map<String, String> p = Assigner.assign(cameras(30), List.of(node("a", OLD), node("b", OLD)), of(steady), NOW,
                DELAY);
        assertThat(p).hasSize(30).doesNotContainValue("c");
        assertThat(counts(p)).containsEntry("a", 15).containsEntry("b", 15);
        steady.forEach((cam, n) -> {
            if (!n.equals("c")) assertThat(p.get(cam)).as(cam).isEqualTo(n); // survivors keep theirs
        });
    }

    @Test
    void returningNodeWaitsTheRebalanceDelayThenTakesItsShare() {
        Map<String, String> two = Assigner.assign(cameras(30), List.of(node("a", OLD), node("b", OLD)),
                Assignment.EMPTY, NOW, DELAY);
        Instant back = NOW.minusSeconds(30);
        List<NodeInfo> withC = List.of(node("a", OLD), node("b", OLD), node("c", back));
        assertThat(Assigner.assign(cameras(30), withC, of(two), NOW, DELAY)).isEqualTo(two);
        Map<String, String> later = Assigner.assign(cameras(30), withC, of(two), back.plus(DELAY), DELAY);
        assertThat(counts(later)).containsEntry("a", 10).containsEntry("b", 10).containsEntry("c", 10);
    }

    @Test
    void youngNodeStillTakesOrphans() {
        Map<String, String> p = Assigner.assign(cameras(4), List.of(node("young", NOW)), Assignment.EMPTY, NOW, DELAY);
        assertThat(counts(p)).containsEntry("young", 4);
    }

    @Test
    void pinIsHonouredWhileItsNodeIsUp() {
        List<CameraSpec> cams = new ArrayList<>(cameras(6));
        cams.set(0, new CameraSpec("cam-001", "c", 4000));
        List<NodeInfo> nodes = List.of(node("a", OLD), node("b", OLD), node("c", OLD));
        Map<String, String> p = Assigner.assign(cams, nodes, Assignment.EMPTY, NOW, DELAY);
        assertThat(p.get("cam-001")).isEqualTo("c");
        Map<String, String> cDown = Assigner.assign(cams, List.of(node("a", OLD), node("b", OLD)), of(p), NOW, DELAY);
        assertThat(cDown.get("cam-001")).isIn("a", "b"); // recording beats placement
        Instant back = NOW.minusSeconds(1);
        List<NodeInfo> cBack = List.of(node("a", OLD), node("b", OLD), node("c", back));
        assertThat(Assigner.assign(cams, cBack, of(cDown), NOW, DELAY).get("cam-001")).isEqualTo(cDown.get("cam-001"));
        assertThat(Assigner.assign(cams, cBack, of(cDown), back.plus(DELAY), DELAY).get("cam-001")).isEqualTo("c");
    }

    @Test
    void pinnedCamerasAreNotMovedForBalance() {
        List<CameraSpec> cams = new ArrayList<>();
        for (int i = 1; i <= 6; i++) cams.add(new CameraSpec("cam-" + i, "a", 4000));
        Map<String, String> p = Assigner.assign(cams, List.of(node("a", OLD), node("b", OLD)), Assignment.EMPTY, NOW,
                DELAY);
        assertThat(counts(p)).containsEntry("a", 6).doesNotContainKey("b");
    }

    @Test
    void balancesByBitrateAndCapacity() {
        List<CameraSpec> cams = List.of(new CameraSpec("big-1", null, 16_000), new CameraSpec("big-2", null, 16_000),
                new CameraSpec("s-1", null, 2000), new CameraSpec("s-2", null, 2000), new CameraSpec("s-3", null, 2000),
                new CameraSpec("s-4", null, 2000), new CameraSpec("s-5", null, 2000), new CameraSpec("s-6", null, 2000),
                new CameraSpec("s-7", null, 2000), new CameraSpec("s-8", null, 2000));
        Map<String, String> p = Assigner.assign(cams, List.of(node("a", OLD), node("b", OLD)), Assignment.EMPTY, NOW,
                DELAY);
        assertThat(kbps(p, cams, "a")).isEqualTo(24_000);
        assertThat(kbps(p, cams, "b")).isEqualTo(24_000);
        NodeInfo bigNode = new NodeInfo("big", "http://big", "rtsp://big", 300_000, OLD);
        NodeInfo small = new NodeInfo("small", "http://small", "rtsp://small", 100_000, OLD);
        Map<String, String> q = Assigner.assign(cameras(40), List.of(bigNode, small), Assignment.EMPTY, NOW, DELAY);
        assertThat(counts(q)).containsEntry("big", 30).containsEntry("small", 10);
    }

    private static long kbps(Map<String, String> p, List<CameraSpec> cams, String node) {
        return cams.stream().filter(c -> node.equals(p.get(c.id()))).mapToLong(CameraSpec::bitrateKbps).sum();
    }

    /**
     * Random histories of deaths and returns: every camera is always placed on a live node, a camera moves only when
     * its node died or for balance/pin, and once every node is mature the counts are within one of each other.
     */
    @Test
    void randomHistoriesKeepEveryCameraPlacedAndEndBalanced() {
        Random random = new Random(13);
        List<CameraSpec> cams = cameras(30);
        for (int run = 0; run < 200; run++) {
            Map<String, Instant> up = new HashMap<>(Map.of("a", OLD, "b", OLD, "c", OLD));
            Assignment current = Assignment.EMPTY;
            Instant t = NOW;
            for (int step = 0; step < 10; step++) {
                String n = List.of("a", "b", "c").get(random.nextInt(3));
                if (up.containsKey(n) && up.size() > 1) up.remove(n); else up.putIfAbsent(n, t);
                t = t.plusSeconds(random.nextInt(200));
                List<NodeInfo> live = up.entrySet().stream().map(e -> node(e.getKey(), e.getValue())).toList();
                Map<String, String> next = Assigner.assign(cams, live, current, t, DELAY);
                assertThat(next).hasSize(30);
                assertThat(up.keySet()).containsAll(next.values());
                current = of(next);
            }
            Instant settled = t.plus(DELAY);
            List<NodeInfo> live = up.entrySet().stream().map(e -> node(e.getKey(), e.getValue())).toList();
            Collection<Integer> c = counts(Assigner.assign(cams, live, current, settled, DELAY)).values();
            assertThat(c.stream().mapToInt(Integer::intValue).max().orElseThrow()
                    - c.stream().mapToInt(Integer::intValue).min().orElseThrow()).isLessThanOrEqualTo(1);
            assertThat(c).hasSize(up.size());
        }
    }

    @Test
    void assignmentRoundTripsThroughItsZnodeBytes() throws Exception {
        Assignment a = new Assignment(7, "rec-01", Map.of("cam-1", "rec-01", "cam-2", "rec-02"));
        assertThat(Assignment.fromBytes(a.toBytes())).isEqualTo(a);
        assertThat(a.camerasOf("rec-02")).containsExactly("cam-2");
        assertThat(Assignment.fromBytes(new byte[0])).isEqualTo(Assignment.EMPTY);
    }
}
