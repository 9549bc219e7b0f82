package org.vigie.rtsp.codec;

import org.vigie.rtsp.RtspParseException;

/**
 * Reads the RBSP of a NAL unit bit by bit (H.264/H.265 section 7.2): fixed-width fields and Exp-Golomb codes, with
 * the emulation prevention bytes ({@code 00 00 03}) removed on the fly. Running past the end is a
 * {@link RtspParseException}, never an index error. Not thread-safe.
 */
final class BitReader {

    private final byte[] data;
    private final int end;
    private int bytePos;
    private int bitPos; // 0..7, from the most significant bit
    private int zeros;  // consecutive zero bytes just read, for emulation prevention
    private int current = -1;

    BitReader(byte[] data, int offset, int length) {
        this.data = data;
        this.bytePos = offset;
        this.end = offset + length;
    }

    private int nextByte() {
        if (bytePos >= end) {
            throw new RtspParseException("parameter set truncated");
        }
        int b = data[bytePos++] & 0xFF;
        if (zeros >= 2 && b == 3) {
            zeros = 0;
            if (bytePos >= end) {
                throw new RtspParseException("parameter set truncated");
            }
            b = data[bytePos++] & 0xFF;
        }
        zeros = b == 0 ? zeros + 1 : 0;
        return b;
    }

    int bit() {
        if (current < 0 || bitPos == 8) {
            current = nextByte();
            bitPos = 0;
        }
        return (current >> (7 - bitPos++)) & 1;
    }

    /** An unsigned field of up to 32 bits. */
    long bits(int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | bit();
        }
        return v;
    }

    int u(int n) {
        return (int) bits(n);
    }

    boolean flag() {
        return bit() == 1;
    }

    void skip(int n) {
        for (int i = 0; i < n; i++) {
            bit();
        }
    }

    /** ue(v), bounded to 31 leading zeros. */
    int ue() {
        int leadingZeros = 0;
        while (bit() == 0) {
            if (++leadingZeros > 31) {
                throw new RtspParseException("parameter set: Exp-Golomb code too long");
            }
        }
        long v = (1L << leadingZeros) - 1 + bits(leadingZeros);
        if (v > Integer.MAX_VALUE) {
            throw new RtspParseException("parameter set: Exp-Golomb value too large");
        }
        return (int) v;
    }

    /** ue(v) that must not exceed {@code max} (a syntax element's range). */
    int ue(int max, String what) {
        int v = ue();
        if (v > max) {
            throw new RtspParseException("parameter set: " + what + " out of range: " + v);
        }
        return v;
    }

    int se() {
        int k = ue();
        return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }
}
