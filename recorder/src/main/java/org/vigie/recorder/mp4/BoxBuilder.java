package org.vigie.recorder.mp4;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer that writes ISO BMFF boxes: {@link #open(String)} writes a header with a
 * placeholder size and {@link #close(int)} patches it once the box's content is written.
 *
 * <p>Not thread-safe: confined to the thread that builds one piece of MP4.
 */
final class BoxBuilder {

    private byte[] buf;
    private int len;

    BoxBuilder(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    /** Starts a box; returns its start offset, to pass to {@link #close(int)}. */
    int open(String type) {
        int start = len;
        u32(0);
        fourcc(type);
        return start;
    }

    /** Starts a full box (version and 24-bit flags after the header). */
    int openFull(String type, int version, int flags) {
        int start = open(type);
        u32(((version & 0xff) << 24) | (flags & 0xffffff));
        return start;
    }

    /** Ends the box started at {@code start}, writing its 32-bit size. */
    void close(int start) {
        int size = len - start;
        buf[start] = (byte) (size >>> 24);
        buf[start + 1] = (byte) (size >>> 16);
        buf[start + 2] = (byte) (size >>> 8);
        buf[start + 3] = (byte) size;
    }

    BoxBuilder u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    BoxBuilder u16(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    BoxBuilder u32(long v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    BoxBuilder u64(long v) {
        u32(v >>> 32);
        return u32(v & 0xffffffffL);
    }

    BoxBuilder zeros(int n) {
        ensure(n);
        len += n; // the array is zero-filled and never reused below len
        return this;
    }

    BoxBuilder bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    BoxBuilder fourcc(String type) {
        byte[] b = type.getBytes(StandardCharsets.US_ASCII);
        if (b.length != 4) {
            throw new IllegalArgumentException("not a four-character code: " + type);
        }
        return bytes(b);
    }

    /** Overwrites a 32-bit value at an absolute offset already written. */
    void patchU32(int offset, long v) {
        buf[offset] = (byte) (v >>> 24);
        buf[offset + 1] = (byte) (v >>> 16);
        buf[offset + 2] = (byte) (v >>> 8);
        buf[offset + 3] = (byte) v;
    }

    int length() {
        return len;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }
}
