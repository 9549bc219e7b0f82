package org.vigie.rtsp.client;

/**
 * Maps a session's media time to UTC wall time for the frames the client builds. The ingest engine passes its
 * session's {@code org.vigie.ingest.WallClock} (the same function, so both engines time frames alike); this library
 * does not decide how wall time is computed. Called on the session's event loop only.
 */
@FunctionalInterface
public interface FrameClock {

    /** Marks "no NTP reference" in {@link #toWallMicros}. */
    long NO_NTP = Long.MIN_VALUE;

    /**
     * @param mediaTime90k the frame's media time, 90 kHz, non-decreasing within the session
     * @param arrivalMicros when the frame was complete, µs since the Unix epoch
     * @param ntpMicros     the frame's time from the camera's RTCP sender reports, Unix µs, or {@link #NO_NTP}
     * @return the frame's UTC time in µs since the Unix epoch, strictly greater than the previous result
     */
    long toWallMicros(long mediaTime90k, long arrivalMicros, long ntpMicros);
}
