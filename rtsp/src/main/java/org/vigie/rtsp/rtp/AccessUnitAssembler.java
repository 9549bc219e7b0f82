package org.vigie.rtsp.rtp;

import io.netty.buffer.ByteBuf;
import org.vigie.rtsp.RtspLimits;
import org.vigie.rtsp.RtspLimitException;
import org.vigie.rtsp.RtspParseException;

/**
 * Collects the NAL units of one access unit as retained slices of the buffers the packets arrived in, and copies
 * them once, at the end, into the access unit's {@code byte[]} in MP4 sample form (each NAL unit prefixed by its
 * 4-byte length). A fragmented NAL unit (FU-A, FU) gets its reconstructed header byte(s) written in front of its
 * fragments' data.
 *
 * <p>Invariants: the sample size ({@link #size()}: NAL bytes plus 4 per NAL unit) never exceeds the bound given at
 * construction, nor the NAL count {@link RtspLimits#MAX_NAL_UNITS_PER_ACCESS_UNIT}; beyond, a
 * {@link RtspParseException} and nothing is kept. Every retained slice is released exactly once, by
 * {@link #assemble()} or {@link #clear()}. Not thread-safe: one per stream, on its event loop.
 */
final class AccessUnitAssembler {

    private final int maxSize;
    private ByteBuf[] parts = new ByteBuf[16];
    private int partCount;
    // Per NAL unit: its reconstructed header (0 to 2 bytes, in headerBytes; count in headerCount), its length and
    // the index after its last part.
    private int[] nalHeader = new int[8];
    private int[] nalHeaderCount = new int[8];
    private int[] nalLength = new int[8];
    private int[] nalPartEnd = new int[8];
    private int nalCount;
    private boolean inNal;
    private long size;

    AccessUnitAssembler(int maxSize) {
        if (maxSize < 16) {
            throw new IllegalArgumentException("access unit bound too small: " + maxSize);
        }
        this.maxSize = maxSize;
    }

    /** True while a fragmented NAL unit is open (between its start and end fragments). */
    boolean inFragmentedNal() {
        return inNal;
    }

    boolean isEmpty() {
        return nalCount == 0 && !inNal;
    }

    /** The sample size so far: NAL unit bytes plus 4 per NAL unit. */
    long size() {
        return size;
    }

    int nalCount() {
        return nalCount;
    }

    /** A whole NAL unit at {@code buf[offset, offset + length)}. */
    void addNal(ByteBuf buf, int offset, int length) {
        beginNal(0, 0);
        append(buf, offset, length);
        endNal();
    }

    /**
     * Opens a NAL unit whose data arrives in fragments, with its reconstructed header of {@code headerCount} bytes
     * ({@code header}: big-endian, 0 to 2 bytes).
     */
    void beginNal(int header, int headerCount) {
        if (inNal) {
            throw new IllegalStateException("a NAL unit is already open");
        }
        if (nalCount >= RtspLimits.MAX_NAL_UNITS_PER_ACCESS_UNIT) {
            clear();
            throw new RtspLimitException("more than " + RtspLimits.MAX_NAL_UNITS_PER_ACCESS_UNIT
                    + " NAL units in one access unit");
        }
        if (nalCount == nalLength.length) {
            int n = nalCount * 2;
            nalHeader = java.util.Arrays.copyOf(nalHeader, n);
            nalHeaderCount = java.util.Arrays.copyOf(nalHeaderCount, n);
            nalLength = java.util.Arrays.copyOf(nalLength, n);
            nalPartEnd = java.util.Arrays.copyOf(nalPartEnd, n);
        }
        nalHeader[nalCount] = header;
        nalHeaderCount[nalCount] = headerCount;
        nalLength[nalCount] = headerCount;
        nalPartEnd[nalCount] = partCount;
        inNal = true;
        grow(4L + headerCount);
    }

    /** Appends data to the open NAL unit. */
    void append(ByteBuf buf, int offset, int length) {
        if (!inNal) {
            throw new IllegalStateException("no NAL unit open");
        }
        if (length == 0) {
            return;
        }
        grow(length);
        if (partCount == parts.length) {
            parts = java.util.Arrays.copyOf(parts, partCount * 2);
        }
        parts[partCount++] = buf.retainedSlice(offset, length);
        nalLength[nalCount] += length;
        nalPartEnd[nalCount] = partCount;
    }

    /** Closes the open NAL unit; an empty one is dropped. */
    void endNal() {
        if (!inNal) {
            throw new IllegalStateException("no NAL unit open");
        }
        inNal = false;
        if (nalLength[nalCount] == 0) {
            size -= 4;
            return;
        }
        nalCount++;
    }

    /** The first byte of NAL unit {@code i} (its header, or the first header byte). */
    int firstByte(int i) {
        if (nalHeaderCount[i] > 0) {
            return (nalHeader[i] >> (8 * (nalHeaderCount[i] - 1))) & 0xFF;
        }
        ByteBuf first = parts[i == 0 ? 0 : nalPartEnd[i - 1]];
        return first.getUnsignedByte(first.readerIndex());
    }

    /** The access unit in sample form; releases the slices. Only complete NAL units are included. */
    byte[] assemble() {
        if (inNal) {
            throw new IllegalStateException("a NAL unit is still open");
        }
        byte[] out = new byte[(int) size];
        int pos = 0;
        int part = 0;
        for (int i = 0; i < nalCount; i++) {
            int len = nalLength[i];
            out[pos] = (byte) (len >>> 24);
            out[pos + 1] = (byte) (len >>> 16);
            out[pos + 2] = (byte) (len >>> 8);
            out[pos + 3] = (byte) len;
            pos += 4;
            for (int h = nalHeaderCount[i] - 1; h >= 0; h--) {
                out[pos++] = (byte) (nalHeader[i] >> (8 * h));
            }
            for (; part < nalPartEnd[i]; part++) {
                ByteBuf p = parts[part];
                int n = p.readableBytes();
                p.getBytes(p.readerIndex(), out, pos, n);
                pos += n;
            }
        }
        clear();
        return out;
    }

    /** Drops everything collected (releases the slices). */
    void clear() {
        for (int i = 0; i < partCount; i++) {
            parts[i].release();
            parts[i] = null;
        }
        partCount = 0;
        nalCount = 0;
        inNal = false;
        size = 0;
    }

    private void grow(long n) {
        size += n;
        if (size > maxSize) {
            clear();
            throw new RtspLimitException("access unit larger than " + maxSize + " bytes");
        }
    }
}
