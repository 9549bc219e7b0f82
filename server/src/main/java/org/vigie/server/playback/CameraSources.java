package org.vigie.server.playback;

import java.util.Optional;
import org.vigie.media.StreamKey;
import org.vigie.playback.MediaSources;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.stream.StreamHub;

/** {@link MediaSources} over the server's {@link CameraRegistry} (the pulled streams' hubs) and the recorder's archive. */
public final class CameraSources implements MediaSources {

    private final CameraRegistry cameras;
    private final ArchiveReader archive;
    private final org.vigie.server.cluster.ClusterArchive cluster;
    private final org.vigie.server.cluster.NodeCredentials credentials;
    private final org.vigie.playback.export.ExportParts exportParts;

    public CameraSources(CameraRegistry cameras, ArchiveReader archive) {
        this(cameras, archive, null, null, null);
    }

    /** In a cluster (issue 13): views of bytes held by another node are relayed from it, signed as the viewer. */
    public CameraSources(CameraRegistry cameras, ArchiveReader archive,
                         org.vigie.server.cluster.ClusterArchive cluster,
                         org.vigie.server.cluster.NodeCredentials credentials,
                         org.vigie.playback.export.ExportParts exportParts) {
        this.exportParts = exportParts;
        this.cameras = cameras;
        this.archive = archive;
        this.cluster = cluster;
        this.credentials = credentials;
    }

    /** How far ahead of an archive view's start this node must hold nothing for the view to be relayed. */
    static final java.time.Duration ARCHIVE_LOOKAHEAD = java.time.Duration.ofMinutes(10);

    @Override
    public boolean clustered() {
        return cluster != null;
    }

    @Override
    public Optional<org.vigie.playback.RemoteStream> remote(org.vigie.playback.Viewer viewer, StreamKey key,
                                                            java.time.Instant from) throws Exception {
        return remote(viewer, key, from, false);
    }

    /** {@code clientDraws}: the relay is signed for {@code StreamEndpoint.CLIENT_DRAWS_PATH}, the holder honours it. */
    @Override
    public Optional<org.vigie.playback.RemoteStream> remote(org.vigie.playback.Viewer viewer, StreamKey key,
                                                            java.time.Instant from, boolean clientDraws)
            throws Exception {
        if (cluster == null) return Optional.empty();
        if (viewer instanceof ServerPlaybackAccess.User u && u.relayed()) return Optional.empty(); // no second hop
        Optional<org.vigie.cluster.NodeInfo> node = from == null ? cluster.liveHolder(key.cameraId())
                : cluster.holderOf(key, from, from.plus(ARCHIVE_LOOKAHEAD));
        String path = clientDraws ? org.vigie.playback.ws.StreamEndpoint.CLIENT_DRAWS_PATH
                : org.vigie.server.cluster.NodeClient.STREAM_PATH;
        return node.map(n -> new org.vigie.playback.RemoteStream(n.id(),
                org.vigie.server.cluster.NodeClient.streamUri(n), credentials.sign("GET", path, viewer.username()),
                clientDraws));
    }

    @Override
    public Optional<StreamHub> hub(StreamKey key) {
        return cameras.get(key.cameraId()).map(c -> c.hub(key.stream()));
    }

    /** In a cluster: an export across a failover gathers each node's part into one file. */
    @Override
    public org.vigie.playback.export.ExportParts exportParts() {
        return exportParts;
    }

    @Override
    public ArchiveReader archive() {
        return archive;
    }
}
