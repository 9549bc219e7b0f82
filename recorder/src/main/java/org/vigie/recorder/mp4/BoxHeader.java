package org.vigie.recorder.mp4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * The header of one box found in a file: its type, where it starts, its total size (header included) and the
 * header length (8, or 16 with a 64-bit size).
 *
 * <p>Invariant: {@code size >= headerSize} and {@code offset + size} lies within the limit given to
 * {@link #read}; a box whose declared size runs past the limit is reported as truncated, so a walk over boxes
 * always advances by at least 8 bytes and ends.
 */
public record BoxHeader(String type, long offset, long size, int headerSize) {

    public long contentOffset() {
        return offset + headerSize;
    }

    public long contentSize() {
        return size - headerSize;
    }

    public long end() {
        return offset + size;
    }

    /**
     * Reads the header of the box at {@code offset}, which must end at or before {@code limit}.
     *
     * @throws MalformedMp4Exception when fewer than 8 bytes remain, the size is impossible, or the box runs past
     *                               {@code limit} (a truncated tail)
     */
    public static BoxHeader read(FileChannel ch, long offset, long limit) throws IOException {
        if (limit - offset < 8) {
            throw new MalformedMp4Exception("truncated box header at " + offset + " (" + (limit - offset)
                    + " bytes left)");
        }
        ByteBuffer buf = ByteBuffer.allocate(16);
        buf.limit((int) Math.min(16, limit - offset));
        readFully(ch, buf, offset);
        buf.flip();
        long size = buf.getInt() & 0xffffffffL;
        byte[] fourcc = new byte[4];
        buf.get(fourcc);
        String type = new String(fourcc, StandardCharsets.ISO_8859_1);
        int headerSize = 8;
        if (size == 1) {
            if (buf.remaining() < 8) {
                throw new MalformedMp4Exception("truncated 64-bit size of '" + type + "' at " + offset);
            }
            size = buf.getLong();
            headerSize = 16;
        } else if (size == 0) {
            size = limit - offset; // "extends to the end of the file"
        }
        if (size < headerSize) {
            throw new MalformedMp4Exception("box '" + type + "' at " + offset + " has impossible size " + size);
        }
        if (size > limit - offset) {
            throw new MalformedMp4Exception("box '" + type + "' at " + offset + " of " + size
                    + " bytes is truncated at " + limit);
        }
        return new BoxHeader(type, offset, size, headerSize);
    }

    /** Reads the whole box (header included) into memory, refusing boxes larger than {@code maxSize}. */
    public byte[] readBytes(FileChannel ch, int maxSize) throws IOException {
        if (size > maxSize) {
            throw new MalformedMp4Exception("box '" + type + "' at " + offset + " is too large: " + size
                    + " bytes > " + maxSize);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        readFully(ch, buf, offset);
        return buf.array();
    }

    static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new MalformedMp4Exception("unexpected end of file at " + pos);
            }
            pos += n;
        }
    }
}
