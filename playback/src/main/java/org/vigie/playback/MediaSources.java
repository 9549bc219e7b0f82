package org.vigie.playback;

import java.util.Optional;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.stream.StreamHub;

/**
 * The port through which playback reads video: the fan-out hub of a pulled stream (a viewer is one more subscriber,
 * so a camera is never pulled twice) and the archive. Implemented by the server over its cameras and recorder.
 * Thread-safe.
 */
public interface MediaSources {

    /** The hub of a pulled stream, empty when the camera or this stream of it is not pulled. */
    Optional<StreamHub> hub(StreamKey key);

    /** The archive (blocking file I/O: never called on an event loop). */
    ArchiveReader archive();

    /** Whether some streams may be on another node ({@link #remote}); false on a single node. */
    default boolean clustered() {
        return false;
    }

    /**
     * In a cluster (issue 13): where to relay a view of {@code key} from, when its bytes are on another node (live:
     * the node recording it; archive from {@code from}: the node holding that part), signed for {@code viewer};
     * empty when this node has them, or no node that is up does, or the viewer is itself relayed from another node
     * (no second hop). Blocking (the store): never on an event loop.
     */
    default java.util.Optional<RemoteStream> remote(Viewer viewer, StreamKey key, java.time.Instant from)
            throws Exception {
        return java.util.Optional.empty();
    }

    /**
     * As {@link #remote(Viewer, StreamKey, java.time.Instant)}; {@code clientDraws}: this connection's client draws
     * the privacy masks itself (honoured here), which the relay passes on, vouched for, to the holding node.
     */
    default java.util.Optional<RemoteStream> remote(Viewer viewer, StreamKey key, java.time.Instant from,
                                                    boolean clientDraws) throws Exception {
        return remote(viewer, key, from);
    }

    /**
     * In a cluster (issue 13): the parts of an export's window held by other nodes, so that an export across a
     * failover is one file; null on a single node.
     */
    default org.vigie.playback.export.ExportParts exportParts() {
        return null;
    }
}
