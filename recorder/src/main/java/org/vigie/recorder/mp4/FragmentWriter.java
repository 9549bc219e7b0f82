package org.vigie.recorder.mp4;

import org.vigie.media.NtpTime;
import java.util.List;

/**
 * Writes one movie fragment of the single video track as {@code prft + moof + mdat}:
 * <ul>
 *   <li>{@code prft} (version 1, flags 0): the NTP wall time of the fragment's first sample and its media time
 *       (= the {@code tfdt}), so that a segment file alone tells the wall time of each fragment;</li>
 *   <li>{@code moof}: {@code mfhd} (sequence number) and one {@code traf}: {@code tfhd} (default-base-is-moof),
 *       {@code tfdt} (version 1, base media decode time in 90 kHz) and {@code trun} with data offset and, per
 *       sample, duration, size and flags ({@link SampleFlags});</li>
 *   <li>{@code mdat}: the samples back to back.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class FragmentWriter {

    /** Size of the {@code prft} box we write. */
    public static final int PRFT_SIZE = 32;
    static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;
    static final int TRUN_FLAGS = 0x000001 | 0x000100 | 0x000200 | 0x000400;
    /** Upper bound of one fragment's payload; far above any real fragment of a few seconds. */
    public static final long MAX_MDAT_PAYLOAD = Integer.MAX_VALUE - 1024;

    private FragmentWriter() {
    }

    /**
     * @param sequence         {@code mfhd} sequence number, starting at 1 in each segment
     * @param wallMicros       UTC µs of the first sample
     * @param baseMediaTime90k decode time of the first sample on the segment's timeline
     * @param samples          at least one
     */
    public static byte[] write(int sequence, long wallMicros, long baseMediaTime90k, List<Sample> samples) {
        byte[] head = head(sequence, wallMicros, baseMediaTime90k, samples);
        byte[] out = java.util.Arrays.copyOf(head, head.length + (int) payload(samples));
        int pos = head.length;
        for (Sample s : samples) {
            System.arraycopy(s.data(), 0, out, pos, s.data().length);
            pos += s.data().length;
        }
        return out;
    }

    /**
     * The fragment without its samples: {@code prft + moof} and the {@code mdat} header, which the samples' bytes
     * follow back to back. The recorder writes it and the samples with one gathering write, never copying the
     * samples into one array (half of the recorder's allocations).
     */
    public static byte[] head(int sequence, long wallMicros, long baseMediaTime90k, List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a fragment needs at least one sample");
        }
        long payload = payload(samples);
        if (payload > MAX_MDAT_PAYLOAD) {
            throw new IllegalArgumentException("fragment payload too large: " + payload + " bytes");
        }
        BoxBuilder b = new BoxBuilder(PRFT_SIZE + 128 + 12 * samples.size());
        int prft = b.openFull("prft", 1, 0);
        b.u32(InitSegmentWriter.TRACK_ID).u64(NtpTime.fromMicros(wallMicros)).u64(baseMediaTime90k);
        b.close(prft);

        int moof = b.open("moof");
        int mfhd = b.openFull("mfhd", 0, 0);
        b.u32(sequence & 0xffffffffL);
        b.close(mfhd);
        int traf = b.open("traf");
        int tfhd = b.openFull("tfhd", 0, TFHD_DEFAULT_BASE_IS_MOOF);
        b.u32(InitSegmentWriter.TRACK_ID);
        b.close(tfhd);
        int tfdt = b.openFull("tfdt", 1, 0);
        b.u64(baseMediaTime90k);
        b.close(tfdt);
        int trun = b.openFull("trun", 0, TRUN_FLAGS);
        b.u32(samples.size());
        int dataOffsetAt = b.length();
        b.u32(0);
        for (Sample s : samples) {
            b.u32(s.duration()).u32(s.data().length).u32(SampleFlags.of(s.sync()) & 0xffffffffL);
        }
        b.close(trun);
        b.close(traf);
        b.close(moof);
        int moofSize = b.length() - moof;
        b.patchU32(dataOffsetAt, moofSize + 8L); // first sample right after the mdat header

        b.u32(8 + payload).fourcc("mdat");
        return b.toByteArray();
    }

    private static long payload(List<Sample> samples) {
        long payload = 0;
        for (Sample s : samples) {
            payload += s.data().length;
        }
        return payload;
    }
}
