package org.vigie.rtsp.client;

import org.vigie.media.Frame;

/**
 * What an RTSP client session reports to its owner (the ingest engine). Every method is called on the session's
 * event loop and must return quickly without blocking: hand frames to a bounded queue, events to an executor.
 */
public interface RtspClientListener {

    /** A complete access unit as a {@link Frame}. Frames arrive in order; the first is a key frame. */
    void onFrame(Frame frame);

    /** PLAY was answered: media is on its way. */
    default void onPlaying(RtspClientSession session) {
    }

    /**
     * The session ended, once: {@code failure} says why, or is null after {@link RtspClientSession#stop()}.
     * No frame follows.
     */
    void onClosed(RtspClientException failure);
}
