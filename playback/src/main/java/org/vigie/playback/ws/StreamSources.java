package org.vigie.server.stream;

import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.stream.StreamHub;

/**
 * What the streaming endpoint reads video from: the live fan-out hub of a pulled stream, and the archive. The
 * endpoint never pulls a camera itself: a live channel is one more subscriber of the camera's {@link StreamHub}.
 * Implementations are thread-safe.
 */
public interface StreamSources {

    /** The hub of a pulled stream, or null when the camera or this stream of it is not pulled. */
    StreamHub hub(StreamKey key);

    /** The archive (blocking file I/O: never called on an event loop). */
    ArchiveReader archive();

    /** The server's sources: the registry's hubs and the recorder's archive. */
    static StreamSources of(CameraRegistry cameras, ArchiveReader archive) {
        return new StreamSources() {
            @Override
            public StreamHub hub(StreamKey key) {
                return cameras.get(key.cameraId()).map(c -> c.hub(key.stream())).orElse(null);
            }

            @Override
            public ArchiveReader archive() {
                return archive;
            }
        };
    }
}
