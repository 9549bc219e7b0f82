package org.vigie.playback.export;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.vigie.media.StreamKey;
import org.vigie.playback.Viewer;

/**
 * In a cluster (issue 13): which node holds which part of an export's window, and how to fetch another node's part
 * (an {@code export.mp4} of that part, asked with the node-to-node credential), so that an export across a failover
 * is one file ({@link StitchedExport}). Implemented by the server; blocking (the store, the network).
 */
public interface ExportParts {

    /** {@code [from, to)} of the window, held by {@code node} ({@code local}: this node). */
    record Part(String node, Instant from, Instant to, boolean local) {
    }

    /** A part of the window held only by a node that is down (or that did not answer): a gap with its reason. */
    record Gap(Instant from, Instant to, String node, String reason) {
    }

    /** The parts in time order, not overlapping, and the gaps of down nodes. */
    record Plan(List<Part> parts, List<Gap> gaps) {
        public Plan {
            parts = List.copyOf(parts);
            gaps = List.copyOf(gaps);
        }

        /** True when this node's archive alone serves the window (nothing elsewhere, no down node's part). */
        public boolean localOnly() {
            return gaps.isEmpty() && parts.stream().allMatch(Part::local);
        }
    }

    /**
     * The plan of {@code [from, to)} of {@code key} for {@code viewer}; null when the export is this node's alone
     * (not clustered, or the viewer is itself relayed from another node: no second hop).
     */
    Plan plan(Viewer viewer, StreamKey key, Instant from, Instant to) throws Exception;

    /**
     * Writes another node's part as a standard fragmented MP4 into {@code into}, asked as {@code viewer} with the
     * export's {@code reason} (that node neither audits nor registers it: the node asked does, once).
     *
     * @throws Exception when the node does not answer it (the part becomes a gap)
     */
    void fetch(Viewer viewer, StreamKey key, Part part, String reason, Path into) throws Exception;
}
