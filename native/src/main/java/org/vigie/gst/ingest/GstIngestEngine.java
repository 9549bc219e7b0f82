package org.vigie.gst.ingest;

import java.time.InstantSource;
import org.vigie.ingest.IngestCounters;
import org.vigie.ingest.IngestEngine;
import org.vigie.ingest.IngestOptions;
import org.vigie.ingest.IngestSession;
import org.vigie.ingest.WallClock;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;

/**
 * GStreamer's engine: an {@code rtspsrc} {@link RtspIngestPipeline} per session, for every transport and every codec
 * GStreamer parses. The one thing {@code native} provides to the {@code ingest} module's supervisor; the server
 * wires it into {@link org.vigie.ingest.IngestEngines}.
 */
public final class GstIngestEngine implements IngestEngine {

    public static final GstIngestEngine INSTANCE = new GstIngestEngine();

    private GstIngestEngine() {
    }

    @Override
    public IngestSession open(StreamKey key, long sessionId, IngestOptions options, FrameSink sink,
                              IngestSession.Events events, InstantSource clock, WallClock wallClock,
                              IngestCounters counters) {
        return new RtspIngestPipeline(key, sessionId, options, sink, events, clock, wallClock, counters);
    }

    @Override
    public String describe() {
        return "gstreamer";
    }
}
