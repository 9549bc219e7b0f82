package org.vigie.playback.ws;

import org.vigie.media.Frame;
import org.vigie.media.StreamKey;

/**
 * Told when a live frame's fragment has been written to a viewer's socket (the write future completed): the
 * instrument of the fan-out benchmark's latency. Called on the connection's event loop; must be quick.
 */
@FunctionalInterface
public interface WriteObserver {

    /** @param nanoTime {@link System#nanoTime()} when the write completed */
    void written(StreamKey key, Frame frame, long nanoTime);
}
