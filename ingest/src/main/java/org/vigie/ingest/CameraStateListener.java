package org.vigie.ingest;

/**
 * Told about state changes of a {@link CameraSupervisor}. Called on the supervisor's executor, in order, while the
 * supervisor is busy: must return quickly and must not block.
 */
@FunctionalInterface
public interface CameraStateListener {
    void onStateChange(CameraStatus status);
}
