package org.vigie.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The leader's placement of cameras on nodes, as a pure function of the cameras, the live nodes, the previous
 * assignment and the time (no ZooKeeper, no clock of its own: {@code AssignerTest} replays every case).
 *
 * <p>Rules, in order:
 * <ol>
 *   <li><b>Sticky</b>: a camera whose node is alive stays there, unless it is pinned to another live node that has
 *       been up for {@code rebalanceDelay} (then it goes to its pin).</li>
 *   <li><b>Orphans</b> (new cameras, cameras of a node that died): to their pin when it is alive, else to the live
 *       node with the lowest load (expected bitrate over capacity), young or not: recording comes first.</li>
 *   <li><b>Balance</b>: while moving an unpinned camera from the most loaded node to the least loaded node that
 *       has been up for {@code rebalanceDelay} leaves the first at least as loaded as the second, move it (the
 *       largest such camera). A node that just (re)joined thus receives no camera from the others before the
 *       delay, and a flapping node makes no camera flap; each move strictly narrows the spread, so this ends, and
 *       with equal bitrates and capacities the counts end within one of each other.</li>
 * </ol>
 * A camera whose pin is a node that is down is placed like an unpinned camera until its node is back.
 */
public final class Assigner {

    private Assigner() {
    }

    /**
     * @param cameras  every camera to record
     * @param nodes    the live nodes
     * @param previous the assignment in force
     * @return the placement (generation and leader left to the caller: 0 and "")
     */
    public static Map<String, String> assign(List<CameraSpec> cameras, List<NodeInfo> nodes, Assignment previous,
                                             Instant now, Duration rebalanceDelay) {
        Map<String, NodeInfo> live = new TreeMap<>();
        nodes.forEach(n -> live.put(n.id(), n));
        Map<String, String> out = new TreeMap<>();
        if (live.isEmpty()) return out;
        Map<String, Long> load = new HashMap<>();
        live.keySet().forEach(id -> load.put(id, 0L));
        List<CameraSpec> sorted = new ArrayList<>(cameras);
        sorted.sort(Comparator.comparing(CameraSpec::id));
        List<CameraSpec> orphans = new ArrayList<>();
        for (CameraSpec c : sorted) {
            String prev = previous.nodeOf(c.id());
            if (prev != null && live.containsKey(prev)) {
                String pin = c.pin();
                boolean toPin = pin != null && !pin.equals(prev) && live.containsKey(pin)
                        && mature(live.get(pin), now, rebalanceDelay);
                place(out, load, c, toPin ? pin : prev);
            } else {
                orphans.add(c);
            }
        }
        orphans.sort(Comparator.comparingInt(CameraSpec::bitrateKbps).reversed().thenComparing(CameraSpec::id));
        for (CameraSpec c : orphans) {
            String target = c.pin() != null && live.containsKey(c.pin()) ? c.pin()
                    : lightest(live.values(), load, c.bitrateKbps());
            place(out, load, c, target);
        }
        balance(sorted, live, out, load, now, rebalanceDelay);
        return out;
    }

    private static void balance(List<CameraSpec> cameras, Map<String, NodeInfo> live, Map<String, String> out,
                                Map<String, Long> load, Instant now, Duration delay) {
        List<NodeInfo> mature = live.values().stream().filter(n -> mature(n, now, delay)).toList();
        if (mature.isEmpty()) return;
        for (int moves = 0; moves <= cameras.size(); moves++) {
            NodeInfo src = live.values().stream()
                    .max(Comparator.comparingDouble((NodeInfo n) -> ratio(load.get(n.id()), n))
                            .thenComparing(NodeInfo::id, Comparator.reverseOrder()))
                    .orElseThrow();
            NodeInfo dst = mature.stream()
                    .min(Comparator.comparingDouble((NodeInfo n) -> ratio(load.get(n.id()), n))
                            .thenComparing(NodeInfo::id))
                    .orElseThrow();
            if (src.id().equals(dst.id())) return;
            CameraSpec best = null;
            for (CameraSpec c : cameras) {
                if (!src.id().equals(out.get(c.id())) || (c.pin() != null && live.containsKey(c.pin()))) continue;
                long b = c.bitrateKbps();
                boolean narrows = ratio(load.get(src.id()) - b, src) >= ratio(load.get(dst.id()) + b, dst);
                if (narrows && (best == null || b > best.bitrateKbps())) best = c;
            }
            if (best == null) return;
            load.merge(src.id(), -(long) best.bitrateKbps(), Long::sum);
            place(out, load, best, dst.id());
        }
    }

    private static String lightest(Iterable<NodeInfo> nodes, Map<String, Long> load, int bitrate) {
        NodeInfo best = null;
        double bestRatio = Double.MAX_VALUE;
        for (NodeInfo n : nodes) {
            double r = ratio(load.get(n.id()) + bitrate, n);
            if (best == null || r < bestRatio || (r == bestRatio && n.id().compareTo(best.id()) < 0)) {
                best = n;
                bestRatio = r;
            }
        }
        return best.id();
    }

    private static void place(Map<String, String> out, Map<String, Long> load, CameraSpec c, String node) {
        out.put(c.id(), node);
        load.merge(node, (long) c.bitrateKbps(), Long::sum);
    }

    private static double ratio(long kbps, NodeInfo n) {
        return (double) kbps / n.capacityKbps();
    }

    /** Whether {@code n} has been up long enough to be given cameras that are recorded elsewhere. */
    static boolean mature(NodeInfo n, Instant now, Duration delay) {
        return !n.joinedAt().plus(delay).isAfter(now);
    }
}
