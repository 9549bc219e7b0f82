package org.vigie.server.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.vigie.recorder.storage.ArchiveReader;

/**
 * The recordings timeline of one stream across the nodes of a cluster (issue 13): the spans every node holds (this
 * node's from its own archive, the others' from the span catalogue), merged. A span held only by a node that is
 * down is not playable now: it is reported as a gap with its reason ({@code held by node rec-02, which is down}),
 * not as a span and not as an error. Pure.
 */
public final class MergedTimeline {

    /** A span held by {@code node}; {@code up} false when that node is not in the cluster's membership now. */
    public record Piece(String node, Instant start, Instant end, boolean up) {
    }

    /** A playable span and the nodes that hold it. */
    public record Span(Instant start, Instant end, Set<String> nodes) {
    }

    /** A part of the range with nothing playable; {@code node} and {@code reason} set when a down node holds it. */
    public record Gap(Instant start, Instant end, String node, String reason) {
    }

    public record Result(List<Span> spans, List<Gap> gaps) {
    }

    private MergedTimeline() {
    }

    /** Merges {@code pieces} within {@code [from, to)}; pieces closer than the archive's merge tolerance join. */
    public static Result merge(Instant from, Instant to, List<Piece> pieces) {
        Duration tolerance = ArchiveReader.DEFAULT_MERGE_TOLERANCE;
        List<Span> spans = union(from, to, pieces.stream().filter(Piece::up).toList(), tolerance);
        List<Gap> gaps = new ArrayList<>();
        Instant cursor = from;
        for (Span s : spans) {
            if (s.start().isAfter(cursor)) gaps.addAll(explain(cursor, s.start(), pieces));
            cursor = s.end();
        }
        if (cursor.isBefore(to)) gaps.addAll(explain(cursor, to, pieces));
        return new Result(spans, gaps);
    }

    private static List<Span> union(Instant from, Instant to, List<Piece> pieces, Duration tolerance) {
        List<Piece> sorted = new ArrayList<>(pieces);
        sorted.sort(Comparator.comparing(Piece::start));
        List<Span> out = new ArrayList<>();
        Instant start = null;
        Instant end = null;
        Set<String> nodes = new TreeSet<>();
        for (Piece p : sorted) {
            Instant a = max(p.start(), from);
            Instant b = min(p.end(), to);
            if (!a.isBefore(b)) continue;
            if (start != null && !a.isAfter(end.plus(tolerance))) {
                end = max(end, b);
                nodes.add(p.node());
                continue;
            }
            if (start != null) out.add(new Span(start, end, Set.copyOf(nodes)));
            start = a;
            end = b;
            nodes = new TreeSet<>(Set.of(p.node()));
        }
        if (start != null) out.add(new Span(start, end, Set.copyOf(nodes)));
        return out;
    }

    /** A hole {@code [a, b)}: the parts a down node holds, each with its reason, and the rest as plain gaps. */
    private static List<Gap> explain(Instant a, Instant b, List<Piece> pieces) {
        List<Piece> down = new ArrayList<>();
        for (Piece p : pieces) {
            if (!p.up() && p.end().isAfter(a) && p.start().isBefore(b)) down.add(p);
        }
        down.sort(Comparator.comparing(Piece::start));
        List<Gap> out = new ArrayList<>();
        Instant cursor = a;
        for (Piece p : down) {
            Instant s = max(p.start(), cursor);
            Instant e = min(p.end(), b);
            if (!s.isBefore(e)) continue;
            if (s.isAfter(cursor)) out.add(new Gap(cursor, s, null, null));
            out.add(new Gap(s, e, p.node(), "held by node " + p.node() + ", which is down"));
            cursor = e;
        }
        if (cursor.isBefore(b)) out.add(new Gap(cursor, b, null, null));
        return out;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
