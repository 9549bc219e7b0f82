package org.vigie.recorder.mp4;

import java.util.List;

/**
 * One complete, validated {@code prft + moof + mdat} fragment found in a segment file.
 *
 * @param position         offset of the fragment's first box (its {@code prft})
 * @param end              offset just after its {@code mdat}
 * @param wallMicros       UTC µs of its first sample, from {@code prft}
 * @param baseMediaTime90k its {@code tfdt}
 * @param samples          at least one, in decode order
 */
public record FragmentInfo(long position, long end, int sequence, long wallMicros, long baseMediaTime90k,
                           List<SampleInfo> samples) {

    public FragmentInfo {
        samples = List.copyOf(samples);
    }

    public long durationTicks() {
        long d = 0;
        for (SampleInfo s : samples) {
            d += s.duration();
        }
        return d;
    }

    public boolean startsWithKeyFrame() {
        return samples.get(0).sync();
    }

    public long length() {
        return end - position;
    }
}
