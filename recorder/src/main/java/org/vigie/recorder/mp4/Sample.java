package org.vigie.recorder.mp4;

import java.util.Objects;

/**
 * One sample (access unit) to put in a fragment.
 *
 * @param data      the access unit in MP4 form (length-prefixed NAL units); not copied, not modified
 * @param duration  in 90 kHz ticks, >= 0
 * @param sync      a key frame (IDR): decodable without any earlier sample
 */
public record Sample(byte[] data, int duration, boolean sync) {

    public Sample {
        Objects.requireNonNull(data, "data");
        if (duration < 0) {
            throw new IllegalArgumentException("negative duration " + duration);
        }
    }
}
