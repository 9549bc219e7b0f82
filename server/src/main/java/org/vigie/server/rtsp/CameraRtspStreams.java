package org.vigie.server.rtsp;

import java.util.Optional;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.server.camera.Camera;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.stream.StreamHub;

/** {@link RtspStreams} over the server's {@link CameraRegistry} and the recorder's {@link ArchiveReader}. */
public final class CameraRtspStreams implements RtspStreams {

    private final CameraRegistry cameras;
    private final ArchiveReader archive;

    public CameraRtspStreams(CameraRegistry cameras, ArchiveReader archive) {
        this.cameras = cameras;
        this.archive = archive;
    }

    @Override
    public Optional<StreamHub> hub(String cameraId, String stream) {
        return cameras.get(cameraId).map((Camera c) -> c.hub(stream));
    }

    @Override
    public boolean exists(String cameraId) {
        return cameras.get(cameraId).isPresent();
    }

    @Override
    public ArchiveReader archive() {
        return archive;
    }
}
