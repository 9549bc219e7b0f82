package org.vigie.recorder.storage;

import java.time.Instant;

/**
 * A snapshot of one stream's recording counters, for metrics. Counters only grow during the recorder's life.
 *
 * @param framesWritten        frames stored in published fragments
 * @param bytesWritten         segment bytes written (init segments and fragments)
 * @param fragments            fragments published
 * @param segments             segments started
 * @param framesDropped        frames dropped because the stream's queue was full (or the recorder closed)
 * @param framesSkipped        frames skipped while waiting for a session's (or a segment's) first key frame
 * @param writeErrors          I/O errors (each abandons the open segment)
 * @param lastWriteMicros      duration of the last fragment write (append + fsync + index), µs
 * @param lastFsyncMicros      duration of the last fsync, µs
 * @param lastWrite            when the last fragment was published (null before the first)
 * @param queued               frames waiting in the stream's queue at the time of the snapshot
 * @param queuedBytes          bytes of those frames (charged to the recorder's {@link QueueBudget})
 * @param overloads            times the stream started dropping frames for lack of queue room (each drop runs to
 *                             the next key frame; the frames are in {@code framesDropped})
 * @param overloaded           dropping now, or dropped for lack of room within the last minute
 */
public record StreamStats(long framesWritten, long bytesWritten, long fragments, long segments, long framesDropped,
                          long framesSkipped, long writeErrors, long lastWriteMicros, long lastFsyncMicros,
                          Instant lastWrite, int queued, long queuedBytes, long overloads, boolean overloaded) {
}
