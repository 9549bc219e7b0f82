package org.vigie.recorder.mp4;

import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked big-endian cursor over a byte array region: every read past the region's end throws
 * {@link MalformedMp4Exception} instead of an index error. Confined to one thread.
 */
final class ByteReader {

    private final byte[] buf;
    private final int end;
    private int pos;

    ByteReader(byte[] buf, int from, int end) {
        if (from < 0 || end > buf.length || from > end) {
            throw new IllegalArgumentException("bad region " + from + ".." + end + " of " + buf.length);
        }
        this.buf = buf;
        this.pos = from;
        this.end = end;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    void skip(int n) throws MalformedMp4Exception {
        need(n);
        pos += n;
    }

    int u8() throws MalformedMp4Exception {
        need(1);
        return buf[pos++] & 0xff;
    }

    int u16() throws MalformedMp4Exception {
        need(2);
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    long u32() throws MalformedMp4Exception {
        need(4);
        long v = ((long) (buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8)
                | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    long u64() throws MalformedMp4Exception {
        return (u32() << 32) | u32();
    }

    String fourcc() throws MalformedMp4Exception {
        need(4);
        String s = new String(buf, pos, 4, StandardCharsets.ISO_8859_1);
        pos += 4;
        return s;
    }

    byte[] bytes(int n) throws MalformedMp4Exception {
        need(n);
        byte[] b = new byte[n];
        System.arraycopy(buf, pos, b, 0, n);
        pos += n;
        return b;
    }

    /**
     * Reads a child box header at the cursor and returns a reader over its content; the cursor moves past the
     * whole child. 64-bit sizes are not used inside {@code moov}/{@code moof} and are rejected.
     */
    Child child() throws MalformedMp4Exception {
        int start = pos;
        long size = u32();
        String type = fourcc();
        if (size < 8 || size > end - start) {
            throw new MalformedMp4Exception("child box '" + type + "' has size " + size + " but only "
                    + (end - start) + " bytes remain in its parent");
        }
        pos = start + (int) size;
        return new Child(type, new ByteReader(buf, start + 8, start + (int) size));
    }

    /** Finds the first child of this type among the remaining boxes, or throws. */
    ByteReader find(String type) throws MalformedMp4Exception {
        while (remaining() > 0) {
            Child c = child();
            if (c.type().equals(type)) {
                return c.content();
            }
        }
        throw new MalformedMp4Exception("missing box '" + type + "'");
    }

    private void need(int n) throws MalformedMp4Exception {
        if (n < 0 || n > end - pos) {
            throw new MalformedMp4Exception("need " + n + " bytes at " + pos + ", only " + (end - pos) + " left");
        }
    }

    record Child(String type, ByteReader content) {
    }
}
