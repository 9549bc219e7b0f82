package org.vigie.recorder.mp4;

/**
 * The {@code trun} sample flags we write: a sync sample "depends on no other" ({@code sample_depends_on = 2});
 * a non-sync sample "depends on others" ({@code sample_depends_on = 1}) with {@code sample_is_non_sync_sample}.
 */
public final class SampleFlags {

    public static final int SYNC = 0x0200_0000;
    public static final int NON_SYNC = 0x0101_0000;
    private static final int NON_SYNC_BIT = 0x0001_0000;

    private SampleFlags() {
    }

    public static int of(boolean sync) {
        return sync ? SYNC : NON_SYNC;
    }

    public static boolean isSync(int flags) {
        return (flags & NON_SYNC_BIT) == 0;
    }
}
