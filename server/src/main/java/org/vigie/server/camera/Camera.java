package org.vigie.server.camera;

import java.util.Map;
import org.vigie.ingest.CameraState;
import org.vigie.ingest.CameraStatus;
import org.vigie.ingest.CameraSupervisor;
import org.vigie.server.config.CameraConfig;
import org.vigie.stream.StreamHub;

/**
 * A configured camera, the supervisors of the streams pulled from it (main, and sub when recorded) and their
 * fan-out hubs.
 * Immutable: changing a camera replaces it in the {@link CameraRegistry}.
 */
public record Camera(CameraConfig config, Map<String, CameraSupervisor> supervisors, Map<String, StreamHub> hubs) {

    public Camera {
        supervisors = Map.copyOf(supervisors);
        hubs = Map.copyOf(hubs);
    }

    /** The fan-out point of a pulled stream ({@code main} or {@code sub}), or null when it is not pulled. */
    public StreamHub hub(String stream) {
        return hubs.get(stream);
    }

    public String id() {
        return config.id();
    }

    /** The state of the main stream, DISABLED when the camera is not pulled. */
    public CameraStatus mainStatus() {
        CameraSupervisor s = supervisors.get(org.vigie.media.StreamKey.MAIN);
        return s == null ? null : s.status();
    }

    public CameraState state() {
        CameraStatus s = mainStatus();
        return s == null ? CameraState.DISABLED : s.state();
    }
}
