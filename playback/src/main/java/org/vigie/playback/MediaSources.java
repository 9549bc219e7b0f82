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
}
