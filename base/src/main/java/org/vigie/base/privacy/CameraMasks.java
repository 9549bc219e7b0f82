package org.vigie.base.privacy;

/**
 * Where the paths out of the server (WebSocket, RTSP re-stream, snapshots, exports) read a camera's masks.
 * Implementations answer the current version at once (no blocking I/O on an event loop: cached, refreshed on change).
 */
public interface CameraMasks {

    /** The camera's masks now; {@link MaskSet#NONE} for a camera without masks. */
    MaskSet current(String cameraId);
}
