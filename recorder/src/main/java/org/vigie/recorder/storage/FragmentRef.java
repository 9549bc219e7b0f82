package org.vigie.recorder.storage;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A fragment's bytes in a segment file ({@code prft + moof + mdat}, from {@code position} for {@code length}
 * bytes), with its time: what playback and export send after the segment's init segment.
 */
public record FragmentRef(Path segment, long segmentStartMicros, int index, long position, long length,
                          long wallMicros, int durationMicros, int sampleCount, boolean keyFrame) {

    public Instant wallStart() {
        return TimeIndex.instant(wallMicros);
    }

    public Instant wallEnd() {
        return TimeIndex.instant(wallMicros + durationMicros);
    }
}
