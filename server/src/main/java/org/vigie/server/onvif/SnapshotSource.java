package org.vigie.server.onvif;

import java.util.Optional;
import org.vigie.camera.CameraDriverException;

/**
 * A JPEG picture of a camera, taken by the camera itself. {@code GET /api/v1/cameras/{id}/snapshot.jpg} tries this
 * first and falls back to decoding the latest key frame when it is empty or fails. Blocking (one HTTP exchange with
 * the camera, bounded by the driver's timeout): call it from a worker thread, never an event loop.
 */
@FunctionalInterface
public interface SnapshotSource {

    /** The camera's snapshot, or empty when the camera has no such source (not ONVIF, not resolved yet). */
    Optional<byte[]> snapshot(String cameraId) throws CameraDriverException;
}
