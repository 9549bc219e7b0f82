package org.vigie.playback.export;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * In-place edits of the few header fields an export rewrites, on box bytes already in memory (ISO/IEC 14496-12):
 * finding a box by path, and reading or writing 32/64-bit fields. Sizes never change, except through
 * {@link #prependInto}. Stateless.
 */
final class Mp4Boxes {

    private Mp4Boxes() {
    }

    /**
     * Offset of the box reached by following {@code path} (four-character types) from {@code [from, to)}, or -1.
     * Only plain containers are descended (moov, trak, mdia, minf, stbl, mvex, moof, traf).
     */
    static int find(byte[] b, int from, int to, String... path) {
        int pos = from;
        int level = 0;
        int end = to;
        while (pos + 8 <= end) {
            long size = u32(b, pos);
            String type = new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (size < 8 || pos + size > end) return -1;
            if (type.equals(path[level])) {
                if (level == path.length - 1) return pos;
                level++;
                end = (int) (pos + size);
                pos += 8;
                continue;
            }
            pos += (int) size;
        }
        return -1;
    }

    static long u32(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 4).getInt() & 0xFFFFFFFFL;
    }

    static long u64(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 8).getLong();
    }

    static void putU32(byte[] b, int at, long v) {
        if (v < 0 || v > 0xFFFFFFFFL) throw new IllegalArgumentException("not a u32: " + v);
        ByteBuffer.wrap(b, at, 4).putInt((int) v);
    }

    static void putU64(byte[] b, int at, long v) {
        ByteBuffer.wrap(b, at, 8).putLong(v);
    }

    /**
     * A copy of {@code b} with {@code child} put first in the container at {@code containerAt}, whose
     * size and the sizes of the {@code ancestors} (offsets of enclosing boxes) grow by the child's length.
     */
    static byte[] prependInto(byte[] b, int containerAt, byte[] child, int... ancestors) {
        int end = containerAt + 8;
        byte[] out = new byte[b.length + child.length];
        System.arraycopy(b, 0, out, 0, end);
        System.arraycopy(child, 0, out, end, child.length);
        System.arraycopy(b, end, out, end + child.length, b.length - end);
        putU32(out, containerAt, u32(out, containerAt) + child.length);
        for (int a : ancestors) putU32(out, a, u32(out, a) + child.length);
        return out;
    }
}
