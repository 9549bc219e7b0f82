package org.vigie.server.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vigie.cluster.ClusterNode;
import org.vigie.cluster.NodeInfo;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.TimeSpan;
import org.vigie.server.store.SpanCatalogue;

/**
 * Where a camera's bytes are in the cluster (issue 13): its recordings timeline merged across nodes (this node's
 * archive, the others' rows of the {@link SpanCatalogue}), the up node that holds an archive window, and the node
 * that records a camera live now. Thread-safe; blocking (the store).
 */
public final class ClusterArchive {

    private final ClusterNode node;
    private final ArchiveReader local;
    private final SpanCatalogue catalogue;

    public ClusterArchive(ClusterNode node, ArchiveReader local, SpanCatalogue catalogue) {
        this.node = node;
        this.local = local;
        this.catalogue = catalogue;
    }

    /** The stream's timeline over {@code [from, to)} as every node holds it; spans of down nodes are gaps. */
    public MergedTimeline.Result timeline(StreamKey key, Instant from, Instant to) throws Exception {
        return MergedTimeline.merge(from, to, pieces(key, from, to, up()));
    }

    /**
     * The up node other than this one that holds most of {@code [from, to)} of the stream, empty when this node holds
     * any of it (it serves what it has) or no up node holds any.
     */
    public Optional<NodeInfo> holderOf(StreamKey key, Instant from, Instant to) throws Exception {
        if (!local.spans(key, from, to).isEmpty()) return Optional.empty();
        Map<String, NodeInfo> up = up();
        Map<String, Duration> held = new HashMap<>();
        for (SpanCatalogue.Entry e : catalogue.overlapping(key, from, to)) {
            if (e.node().equals(node.nodeId()) || !up.containsKey(e.node())) continue;
            Instant a = e.start().isAfter(from) ? e.start() : from;
            Instant b = e.end().isBefore(to) ? e.end() : to;
            held.merge(e.node(), Duration.between(a, b), Duration::plus);
        }
        return held.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> up.get(e.getKey()));
    }

    /**
     * The parts of an export of {@code [from, to)} (issue 13, an export across a failover is one file): the up
     * nodes' spans in time order, not overlapping (where two nodes hold the same time, the one whose span started
     * first keeps it; consecutive parts of one node are one part), and the gaps held only by down nodes.
     */
    public org.vigie.playback.export.ExportParts.Plan exportPlan(StreamKey key, Instant from, Instant to)
            throws Exception {
        Map<String, NodeInfo> up = up();
        List<MergedTimeline.Piece> pieces = pieces(key, from, to, up);
        List<MergedTimeline.Piece> held = new ArrayList<>(pieces.stream().filter(MergedTimeline.Piece::up).toList());
        held.sort(java.util.Comparator.comparing(MergedTimeline.Piece::start));
        List<org.vigie.playback.export.ExportParts.Part> parts = new ArrayList<>();
        Instant cursor = from;
        for (MergedTimeline.Piece p : held) {
            Instant a = p.start().isAfter(cursor) ? p.start() : cursor;
            Instant b = p.end().isBefore(to) ? p.end() : to;
            if (!a.isBefore(b)) continue;
            int last = parts.size() - 1;
            if (last >= 0 && parts.get(last).node().equals(p.node())) {
                parts.set(last, new org.vigie.playback.export.ExportParts.Part(p.node(), parts.get(last).from(), b,
                        parts.get(last).local()));
            } else {
                parts.add(new org.vigie.playback.export.ExportParts.Part(p.node(), a, b,
                        p.node().equals(node.nodeId())));
            }
            cursor = b;
        }
        List<org.vigie.playback.export.ExportParts.Gap> gaps = new ArrayList<>();
        for (MergedTimeline.Gap g : MergedTimeline.merge(from, to, pieces).gaps()) {
            if (g.node() != null) {
                gaps.add(new org.vigie.playback.export.ExportParts.Gap(g.start(), g.end(), g.node(), g.reason()));
            }
        }
        return new org.vigie.playback.export.ExportParts.Plan(parts, gaps);
    }

    /** The up node of this id, empty when it is down. */
    public Optional<NodeInfo> upNode(String id) {
        return Optional.ofNullable(up().get(id));
    }

    /** The up node other than this one that records the camera now, empty when it is recorded here or nowhere. */
    public Optional<NodeInfo> liveHolder(String camera) {
        String at = node.nodeOf(camera);
        if (at == null || at.equals(node.nodeId())) return Optional.empty();
        return Optional.ofNullable(up().get(at));
    }

    /** This node's id. */
    public String self() {
        return node.nodeId();
    }

    private Map<String, NodeInfo> up() {
        Map<String, NodeInfo> out = new HashMap<>();
        for (NodeInfo n : node.nodes()) out.put(n.id(), n);
        return out;
    }

    private List<MergedTimeline.Piece> pieces(StreamKey key, Instant from, Instant to, Map<String, NodeInfo> up)
            throws Exception {
        List<MergedTimeline.Piece> out = new ArrayList<>();
        for (TimeSpan s : local.spans(key, from, to)) {
            out.add(new MergedTimeline.Piece(node.nodeId(), s.start(), s.end(), true));
        }
        for (SpanCatalogue.Entry e : catalogue.overlapping(key, from, to)) {
            if (e.node().equals(node.nodeId())) continue; // this node's own archive is read first hand
            out.add(new MergedTimeline.Piece(e.node(), e.start(), e.end(), up.containsKey(e.node())));
        }
        return out;
    }
}
