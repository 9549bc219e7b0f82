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

    public CameraSources(CameraRegistry cameras, ArchiveReader archive) {
        this.cameras = cameras;
        this.archive = archive;
    }

    @Override
    public Optional<StreamHub> hub(StreamKey key) {
        return cameras.get(key.cameraId()).map(c -> c.hub(key.stream()));
    }

    @Override
    public ArchiveReader archive() {
        return archive;
    }
}
