package org.vigie.ingest;

/**
 * One connection of an ingest engine to one camera stream, from {@link #start()} to {@link #stop()}: GStreamer's
 * pipeline ({@code native}) or the Java RTSP client's session ({@link JavaIngestSession}). Delivers frames to its
 * {@link org.vigie.media.FrameSink}, reports its first frame and its failure through {@link Events}, counts into its
 * {@link IngestCounters}. The {@link CameraSupervisor} owns at most one at a time.
 *
 * <p>Contract (both engines): {@link #start()} returns at once; {@link #stop()} is idempotent, may block briefly
 * and is never called from the session's own threads; after it returns no frame is delivered and
 * {@code onSessionEnd} has been called once if a frame was delivered.
 */
public interface IngestSession {

    /** What a session reports to its owner; called on the engine's threads: must return quickly. */
    interface Events {
        /** The first frame of the session was delivered. */
        void onFirstFrame(long sessionId);

        /** The session failed; the owner should {@link IngestSession#stop()} it (from another thread) and maybe retry. */
        void onFailure(long sessionId, IngestError error);
    }

    long sessionId();

    void start();

    void stop();
}
