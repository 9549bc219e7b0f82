package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vigie.recorder.mp4.FragmentInfo;
import org.vigie.recorder.time.WallClockMapper;

/**
 * The time index of a segment: a sidecar file {@code <segment name>.idx} with one fixed-width entry per fragment,
 * in file order. Derived data: no checksum, always rebuildable from the segment's {@code prft}/{@code moof} boxes
 * ({@link #entryOf(FragmentInfo)}).
 *
 * <p>Layout: {@value #ENTRY_SIZE}-byte big-endian entries, nothing else (no header):
 * <pre>
 *  offset size field
 *   0      8   wall start, UTC µs since the epoch (signed)
 *   8      8   position of the fragment's first box (its prft) in the segment file
 *  16      4   duration, µs (unsigned 31 bits)
 *  20      4   bit 31: the fragment starts with a key frame; bits 0-30: sample count
 * </pre>
 * Invariants ({@link #sanityCheck}): entries are whole; wall starts strictly increase and each is at or after the
 * previous entry's end; positions strictly increase and lie within the segment file; the first fragment starts with
 * a key frame. Stateless helpers, thread-safe.
 */
public final class TimeIndex {

    public static final int ENTRY_SIZE = 24;
    private static final int KEY_BIT = 0x8000_0000;

    private TimeIndex() {
    }

    public static ByteBuffer encode(IndexEntry e) {
        ByteBuffer b = ByteBuffer.allocate(ENTRY_SIZE);
        b.putLong(e.wallMicros()).putLong(e.position()).putInt(e.durationMicros())
                .putInt((e.keyFrame() ? KEY_BIT : 0) | e.sampleCount());
        return b.flip();
    }

    static IndexEntry decode(ByteBuffer b) throws CorruptIndexException {
        long wall = b.getLong();
        long position = b.getLong();
        int duration = b.getInt();
        int last = b.getInt();
        try {
            return new IndexEntry(wall, position, duration, (last & KEY_BIT) != 0, last & ~KEY_BIT);
        } catch (IllegalArgumentException ex) {
            throw new CorruptIndexException(ex.getMessage());
        }
    }

    /** Every entry of the index file. */
    public static List<IndexEntry> read(Path idx) throws IOException {
        return read(idx, Integer.MAX_VALUE);
    }

    /** The first {@code max} entries (readers of the open segment pass its published fragment count). */
    public static List<IndexEntry> read(Path idx, int max) throws IOException {
        try (FileChannel ch = FileChannel.open(idx, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size % ENTRY_SIZE != 0) {
                throw new CorruptIndexException(idx + ": length " + size + " is not a multiple of " + ENTRY_SIZE);
            }
            int n = (int) Math.min(max, size / ENTRY_SIZE);
            ByteBuffer b = ByteBuffer.allocate(n * ENTRY_SIZE);
            while (b.hasRemaining()) {
                if (ch.read(b, b.position()) < 0) {
                    throw new CorruptIndexException(idx + ": shrank while reading");
                }
            }
            b.flip();
            List<IndexEntry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                entries.add(decode(b));
            }
            return entries;
        }
    }

    /** Entry {@code i} of an index file. */
    public static IndexEntry readEntry(FileChannel ch, int i) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(ENTRY_SIZE);
        long pos = (long) i * ENTRY_SIZE;
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new CorruptIndexException("index has no entry " + i);
            }
        }
        return decode(b.flip());
    }

    /** Replaces an index file with these entries and forces it to disk (recovery's rebuild). */
    public static void rewrite(Path idx, List<IndexEntry> entries) throws IOException {
        try (FileChannel ch = FileChannel.open(idx, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (IndexEntry e : entries) {
                ByteBuffer b = encode(e);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            ch.force(true);
        }
    }

    /** The entry describing a parsed fragment: what the writer wrote for it, bit for bit. */
    public static IndexEntry entryOf(FragmentInfo f) {
        return new IndexEntry(f.wallMicros(), f.position(), durationMicros(f.durationTicks()), f.startsWithKeyFrame(),
                f.samples().size());
    }

    static int durationMicros(long ticks) {
        return Math.toIntExact(WallClockMapper.ticksToMicros(ticks));
    }

    /**
     * Checks the invariants listed in the class comment, like Kafka's {@code TimeIndex.sanityCheck}.
     *
     * @param segmentLength the segment file's length
     * @throws CorruptIndexException naming the first broken invariant
     */
    public static void sanityCheck(List<IndexEntry> entries, long segmentLength) throws CorruptIndexException {
        IndexEntry prev = null;
        for (int i = 0; i < entries.size(); i++) {
            IndexEntry e = entries.get(i);
            if (e.position() >= segmentLength) {
                throw new CorruptIndexException("entry " + i + " position " + e.position()
                        + " is beyond the segment length " + segmentLength);
            }
            if (prev == null && !e.keyFrame()) {
                throw new CorruptIndexException("first entry does not start with a key frame");
            }
            if (prev != null) {
                if (e.position() <= prev.position()) {
                    throw new CorruptIndexException("entry " + i + " position " + e.position()
                            + " does not increase (previous " + prev.position() + ")");
                }
                if (e.wallMicros() <= prev.wallMicros() || e.wallMicros() < prev.endMicros()) {
                    throw new CorruptIndexException("entry " + i + " wall time " + e.wallMicros()
                            + " is before the previous entry's end " + prev.endMicros());
                }
            }
            prev = e;
        }
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000L);
    }
}
