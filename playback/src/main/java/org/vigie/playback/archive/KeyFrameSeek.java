package org.vigie.playback.archive;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.vigie.media.Frame;

/**
 * Finds, in frames that start on a key frame at or before a time (an archive cursor positioned on the fragment
 * index, whose fragments may hold several GOPs), the last key frame at or before that time. Stateless.
 */
public final class KeyFrameSeek {

    private KeyFrameSeek() {
    }

    /**
     * Reads {@code frames} until the first frame after {@code t} and returns the frames from the last key frame at
     * or before {@code t} through that first later frame (so at most one GOP plus one frame is held). When no key
     * frame precedes {@code t}, the result starts at the first key frame after it; empty when there is none yet.
     */
    public static ArrayDeque<Frame> gopAt(Iterator<Frame> frames, Instant t) {
        long micros = t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
        ArrayDeque<Frame> gop = new ArrayDeque<>();
        while (frames.hasNext()) {
            Frame f = frames.next();
            if (f.wallMicros() > micros) {
                if (gop.isEmpty() && !f.keyFrame()) continue; // t precedes the archive: wait for a key frame
                gop.add(f);
                return gop;
            }
            if (f.keyFrame()) gop.clear();
            if (!gop.isEmpty() || f.keyFrame()) gop.add(f);
        }
        return gop;
    }
}
