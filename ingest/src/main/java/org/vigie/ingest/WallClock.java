package org.vigie.ingest;

/**
 * Maps the media time of one ingest session to UTC wall time. One instance per session (a new session starts a
 * new mapping); called on the session's streaming thread only, so implementations need no synchronisation.
 *
 * <p>Contract: within a session the returned values strictly increase (the {@code org.vigie.media.Frame}
 * invariant). The server adapts the recorder's {@code WallClockMapper} to this interface.
 */
public interface WallClock {

    /** Marks "no NTP reference" in {@link #toWallMicros}. */
    long NO_NTP = Long.MIN_VALUE;

    /**
     * @param mediaTime90k the frame's media time, 90 kHz, non-decreasing within the session
     * @param arrivalMicros when the frame reached Java, µs since the Unix epoch (from the injected clock)
     * @param ntpMicros     the camera's RTCP sender-report NTP time of the frame as Unix µs, or {@link #NO_NTP}
     * @return the frame's UTC time in µs since the Unix epoch, strictly greater than the previous result
     */
    long toWallMicros(long mediaTime90k, long arrivalMicros, long ntpMicros);

    /** Creates one {@link WallClock} per session. */
    @FunctionalInterface
    interface Factory {
        WallClock newSession();
    }
}
