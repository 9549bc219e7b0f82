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
 * The recorder writes a fragment's samples into the file as they arrive, after a head of a fixed length reserved for
 * a sample capacity ({@link #reservedHeadLength}), and fills the reserved bytes with the head once the fragment
 * closes ({@link #head(int, long, long, int, int[], int[], boolean[], int)}): the {@code moof} then ends with a
 * {@code free} child (ISO/IEC 14496-12 §8.1.2: a free-space box may occur in any container) that takes the
 * unused capacity, and the {@code trun} data offset counts it, so the samples still follow the {@code mdat}
 * header.
 * Stateless and thread-safe.
 */
public final class FragmentWriter {

    /** Size of the {@code prft} box we write. */
    public static final int PRFT_SIZE = 32;
    /** {@code moof} without its {@code trun} entries: moof 8, mfhd 16, traf 8, tfhd 16, tfdt 20, trun 20. */
    private static final int MOOF_FIXED = 88;
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

    /** Length of the head ({@code prft + moof} and the {@code mdat} header) of a fragment of {@code samples} samples. */
    public static int headLength(int samples) {
        return PRFT_SIZE + MOOF_FIXED + 12 * samples + 8;
    }

    /**
     * Bytes the recorder reserves for the head of a fragment of at most {@code capacity} samples: room for the head
     * and a {@code free} box of at least its 8-byte header, so that the padding is always a valid box.
     */
    public static int reservedHeadLength(int capacity) {
        return headLength(capacity) + 8;
    }

    /**
     * The head of a fragment of {@code count} samples, exactly {@code length} bytes long: when {@code length} exceeds
     * {@link #headLength}, the {@code moof} ends with a {@code free} box of the difference (at least 8 bytes).
     *
     * @param sizes     sample sizes in bytes (the first {@code count} entries are used)
     * @param durations sample durations in 90 kHz ticks
     * @param sync      whether each sample is a sync sample
     * @param length    {@link #headLength}{@code (count)}, or at least 8 bytes more
     */
    public static byte[] head(int sequence, long wallMicros, long baseMediaTime90k, int count, int[] sizes,
                              int[] durations, boolean[] sync, int length) {
        if (count < 1) {
            throw new IllegalArgumentException("a fragment needs at least one sample");
        }
        int padding = length - headLength(count);
        if (padding != 0 && padding < 8) {
            throw new IllegalArgumentException("head of " + count + " samples needs " + headLength(count)
                    + " bytes, or at least 8 more, not " + length);
        }
        long payload = 0;
        for (int i = 0; i < count; i++) {
            payload += sizes[i];
        }
        if (payload > MAX_MDAT_PAYLOAD) {
            throw new IllegalArgumentException("fragment payload too large: " + payload + " bytes");
        }
        BoxBuilder b = new BoxBuilder(length);
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
        b.u32(count);
        int dataOffsetAt = b.length();
        b.u32(0);
        for (int i = 0; i < count; i++) {
            b.u32(durations[i] & 0xffffffffL).u32(sizes[i] & 0xffffffffL).u32(SampleFlags.of(sync[i]) & 0xffffffffL);
        }
        b.close(trun);
        b.close(traf);
        if (padding > 0) {
            int free = b.open("free");
            b.zeros(padding - 8);
            b.close(free);
        }
        b.close(moof);
        int moofSize = b.length() - moof;
        b.patchU32(dataOffsetAt, moofSize + 8L); // first sample right after the mdat header

        b.u32(8 + payload).fourcc("mdat");
        return b.toByteArray();
    }

    /**
     * The fragment without its samples: {@code prft + moof} and the {@code mdat} header, which the samples' bytes
     * follow back to back. The recorder writes it and the samples with one gathering write, never copying the
     * samples into one array (half of the recorder's allocations).
     */
    public static byte[] head(int sequence, long wallMicros, long baseMediaTime90k, List<Sample> samples) {
        int n = samples.size();
        int[] sizes = new int[n];
        int[] durations = new int[n];
        boolean[] sync = new boolean[n];
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            sizes[i] = s.data().length;
            durations[i] = s.duration();
            sync[i] = s.sync();
        }
        return head(sequence, wallMicros, baseMediaTime90k, n, sizes, durations, sync, headLength(n));
    }

    private static long payload(List<Sample> samples) {
        long payload = 0;
        for (Sample s : samples) {
            payload += s.data().length;
        }
        return payload;
    }
}
