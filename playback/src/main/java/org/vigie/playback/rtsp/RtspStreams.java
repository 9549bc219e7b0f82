package org.vigie.server.rtsp;

import java.util.Optional;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.stream.StreamHub;

/**
 * What the RTSP server needs of the media core: the fan-out hub of a camera's pulled stream (live viewers
 * subscribe to it, so a camera is never pulled twice) and the archive. Thread-safe.
 */
public interface RtspStreams {

    /** The hub of a camera's {@code main} or {@code sub} stream, empty when the camera or stream is not pulled. */
    Optional<StreamHub> hub(String cameraId, String stream);

    /** Whether the camera exists (pulled or not), so that an archive of a disabled camera can still be replayed. */
    boolean exists(String cameraId);

    ArchiveReader archive();
}
