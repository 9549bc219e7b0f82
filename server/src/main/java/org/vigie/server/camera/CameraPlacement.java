package org.vigie.server.camera;

/**
 * Which of the registered cameras this server pulls and records: every one on a single node; in a cluster, those
 * the leader assigned to this node (the others are registered, listed and described by the API, not pulled).
 */
@FunctionalInterface
public interface CameraPlacement {

    /** A single node records every enabled camera. */
    CameraPlacement EVERY_CAMERA = id -> true;

    boolean recordsHere(String cameraId);
}
