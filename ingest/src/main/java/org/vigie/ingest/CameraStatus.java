package org.vigie.ingest;

import java.time.Instant;
import org.vigie.media.StreamKey;

/**
 * A snapshot of one supervised stream, for the REST API and metrics. Immutable.
 *
 * @param sessionId  the current (or last) session id, 0 before the first connection
 * @param lastError  the last failure, or null if none since creation
 * @param since      when the stream entered {@code state}
 * @param fps        frames per second over the counters' sliding window
 * @param bitrate    bits per second over the same window
 * @param engine     the ingest engine in use and, after a fallback, why (e.g. {@code gstreamer (java client: ...)})
 */
public record CameraStatus(StreamKey key, CameraState state, IngestError lastError, long sessionId, Instant since,
                           long frames, long bytes, long framesDropped, long reconnects, double fps,
                           double bitrate, String engine) {
}
