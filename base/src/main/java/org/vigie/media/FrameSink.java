package org.vigie.media;

/**
 * Where an ingest session delivers its frames. Implementations must return quickly and never block: they are
 * called on GStreamer's streaming thread (hand the frame to a bounded queue, drop and count when it is full).
 */
public interface FrameSink {

    /** A new frame of the session. Frames of one session arrive in order, from one thread at a time. */
    void onFrame(Frame frame);

    /**
     * The session ended (camera lost, pipeline stopped). The next frame, if any, belongs to a new session:
     * what lies between is a gap.
     */
    void onSessionEnd(long sessionId);
}
