package org.vigie.ingest;

import java.time.InstantSource;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;

/**
 * Makes the {@link IngestSession}s of one supervised camera stream. {@link #GSTREAMER} builds GStreamer pipelines;
 * the server adds the Java RTSP client and the {@code auto} choice between both (which may fall back from one to the
 * other between sessions, for reasons it names in {@link #describe()}). Called under the supervisor's lock.
 */
public interface IngestEngine {

    /** GStreamer's {@code rtspsrc} pipeline: every transport, every codec GStreamer parses. */
    IngestEngine GSTREAMER = new IngestEngine() {
        @Override
        public IngestSession open(StreamKey key, long sessionId, IngestOptions options, FrameSink sink,
                                  RtspIngestPipeline.Events events, InstantSource clock, WallClock wallClock,
                                  IngestCounters counters) {
            return new RtspIngestPipeline(key, sessionId, options, sink, events, clock, wallClock, counters);
        }

        @Override
        public String describe() {
            return "gstreamer";
        }
    };

    /** A new, not yet started session. */
    IngestSession open(StreamKey key, long sessionId, IngestOptions options, FrameSink sink,
                       RtspIngestPipeline.Events events, InstantSource clock, WallClock wallClock,
                       IngestCounters counters);

    /** The engine in use and, when it was not the first choice, why: shown in the camera's state. */
    String describe();
}
