package org.vigie.recorder.storage;

import java.time.Instant;

/**
 * One entry of a {@link TimeIndex}: one fragment of a segment.
 *
 * @param wallMicros     UTC µs of the fragment's first sample (its {@code prft})
 * @param position       offset in the segment file of the fragment's first box (its {@code prft})
 * @param durationMicros the fragment's media duration (sum of its samples' durations, 90 kHz ticks floored to µs)
 * @param keyFrame       the fragment starts with a key frame
 * @param sampleCount    number of samples, >= 1
 */
public record IndexEntry(long wallMicros, long position, int durationMicros, boolean keyFrame, int sampleCount) {

    public IndexEntry {
        if (position < 0 || durationMicros < 0 || sampleCount < 1) {
            throw new IllegalArgumentException("bad index entry: position=" + position + " duration="
                    + durationMicros + " samples=" + sampleCount);
        }
    }

    public long endMicros() {
        return wallMicros + durationMicros;
    }

    public Instant wallStart() {
        return TimeIndex.instant(wallMicros);
    }
}
