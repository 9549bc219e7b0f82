package org.vigie.recorder.mp4;

/**
 * Where one sample of a parsed fragment lies in its file, and its timing.
 *
 * @param offset   absolute file offset of the sample's first byte (inside the fragment's {@code mdat})
 * @param size     bytes
 * @param duration 90 kHz ticks
 * @param flags    {@code trun} sample flags, see {@link SampleFlags}
 */
public record SampleInfo(long offset, int size, long duration, int flags) {

    public boolean sync() {
        return SampleFlags.isSync(flags);
    }
}
