package org.vigie.gst.ingest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;

/** A FrameSink for tests: keeps every frame and every session end, thread-safe. */
final class RecordingSink implements FrameSink {

    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final List<Long> sessionEnds = new CopyOnWriteArrayList<>();

    @Override
    public void onFrame(Frame frame) {
        frames.add(frame);
    }

    @Override
    public void onSessionEnd(long sessionId) {
        sessionEnds.add(sessionId);
    }
}
