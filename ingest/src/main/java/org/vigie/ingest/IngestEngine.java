package org.vigie.ingest;

import java.time.InstantSource;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;

/**
 * Makes the {@link IngestSession}s of one supervised camera stream. {@code native} provides GStreamer's engine
 * ({@code org.vigie.gst.ingest.GstIngestEngine}); this module adds the Java RTSP client and the {@code auto} choice
 * between both ({@link IngestEngines}, which may fall back from one to the other between sessions, for reasons it
 * names in {@link #describe()}); the server wires them. Called under the supervisor's lock.
 */
public interface IngestEngine {

    /** A new, not yet started session. */
    IngestSession open(StreamKey key, long sessionId, IngestOptions options, FrameSink sink,
                       IngestSession.Events events, InstantSource clock, WallClock wallClock,
                       IngestCounters counters);

    /** The engine in use and, when it was not the first choice, why: shown in the camera's state. */
    String describe();
}
