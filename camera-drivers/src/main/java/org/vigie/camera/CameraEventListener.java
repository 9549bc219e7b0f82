package org.vigie.camera;

/**
 * Receives the events of one camera. Called from the subscription's executor, one call at a time and in the
 * camera's order; implementations must return quickly (hand over to a bounded queue) and must not throw.
 */
@FunctionalInterface
public interface CameraEventListener {

    void onEvent(CameraEvent event);

    /**
     * The subscription failed and will be re-created after {@code retryInMillis}; events raised meanwhile may
     * be lost. Default: ignored.
     */
    default void onSubscriptionLost(CameraDriverException cause, long retryInMillis) {
    }
}
