package org.vigie.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import org.vigie.media.StreamKey;
import org.vigie.playback.PlaybackAccess;
import org.vigie.playback.Viewer;
import org.vigie.playback.export.ExportParts;

/**
 * The parts of an export's window across the cluster (issue 13): the plan from the {@link ClusterArchive}, another
 * node's part fetched as its {@code export.mp4} of that part ({@code part=cluster}), signed as the user with the
 * node-to-node credential ({@link NodeClient}): that node neither audits nor registers it. Thread-safe; blocking.
 */
public final class ClusterExportParts implements ExportParts {

    /** How long another node may take to start answering its part. */
    static final Duration PART_TIMEOUT = Duration.ofMinutes(2);

    private final ClusterArchive cluster;
    private final NodeClient nodes;
    private final PlaybackAccess access;

    public ClusterExportParts(ClusterArchive cluster, NodeClient nodes, PlaybackAccess access) {
        this.cluster = cluster;
        this.nodes = nodes;
        this.access = access;
    }

    @Override
    public Plan plan(Viewer viewer, StreamKey key, Instant from, Instant to) throws Exception {
        if (access.relayed(viewer)) return null; // no second hop
        return cluster.exportPlan(key, from, to);
    }

    @Override
    public void fetch(Viewer viewer, StreamKey key, Part part, String reason, Path into) throws Exception {
        var node = cluster.upNode(part.node()).orElseThrow(() -> new IOException("node " + part.node() + " is down"));
        String uri = "/api/v1/cameras/" + key.cameraId() + "/export.mp4?from=" + part.from() + "&to=" + part.to()
                + "&stream=" + key.stream() + "&part=cluster&reason="
                + URLEncoder.encode(reason, StandardCharsets.UTF_8);
        java.net.http.HttpResponse<InputStream> answer = nodes.send(node, "GET", uri, viewer.username(), null,
                PART_TIMEOUT);
        try (InputStream body = answer.body()) {
            if (answer.statusCode() == 404) return; // nothing there after all: an empty part
            if (answer.statusCode() != 200) {
                throw new IOException("node " + part.node() + " answered " + answer.statusCode() + ": "
                        + new String(body.readNBytes(300), StandardCharsets.UTF_8));
            }
            Files.copy(body, into, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
