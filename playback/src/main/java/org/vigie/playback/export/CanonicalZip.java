package org.vigie.playback.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a bundle zip is byte for byte in the one form {@link EvidenceBundle} writes, so that a change to any
 * byte of the file is found, not only to the contents that the hash and signature cover: the expected entries in
 * order, each a local header with the canonical constant fields (version 2.0, flags UTF-8 + data descriptor,
 * deflate, the bundle's creation time in UTC, no extra field), its data, a data descriptor agreeing with the central
 * directory; a central directory of canonical entries pointing at those headers; an end record without comment, at
 * the very end of the file. The contents themselves (CRC, hash, signature) are checked by the caller. Stateless.
 */
final class CanonicalZip {

    static final int VERSION = 20;
    static final int FLAGS = 0x0808; // bit 3: sizes in a data descriptor; bit 11: UTF-8 names
    static final int DEFLATED = 8;

    private CanonicalZip() {
    }

    /** The DOS time and date fields of a UTC instant (as written through {@code ZipEntry.setTimeLocal}). */
    static int[] dosTime(Instant t) {
        LocalDateTime d = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        int time = (d.getHour() << 11) | (d.getMinute() << 5) | (d.getSecond() >> 1);
        int date = ((d.getYear() - 1980) << 9) | (d.getMonthValue() << 5) | d.getDayOfMonth();
        return new int[] {time, date};
    }

    /** Every deviation from the canonical form; empty when the file has exactly that form. */
    static List<String> check(Path zip, List<String> names, Instant created) throws IOException {
        List<String> problems = new ArrayList<>();
        int[] dos = dosTime(created);
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = ch.size();
            // central directory: from the end record
            ByteBuffer end = read(ch, size - 22, 22);
            expect(problems, end.getInt(0) == 0x06054b50 && end.getShort(4) == 0 && end.getShort(6) == 0
                    && (end.getShort(8) & 0xFFFF) == names.size() && (end.getShort(10) & 0xFFFF) == names.size()
                    && end.getShort(20) == 0, "end record is not canonical");
            if (!problems.isEmpty()) return problems;
            long cdSize = end.getInt(12) & 0xFFFFFFFFL;
            long cdOffset = end.getInt(16) & 0xFFFFFFFFL;
            expect(problems, cdOffset + cdSize == size - 22, "central directory does not end at the end record");
            long c = cdOffset;
            long expectedLocal = 0;
            for (int i = 0; i < names.size() && problems.isEmpty(); i++) {
                ByteBuffer e = read(ch, c, 46);
                byte[] name = names.get(i).getBytes(StandardCharsets.UTF_8);
                long crc = e.getInt(16) & 0xFFFFFFFFL;
                long csize = e.getInt(20) & 0xFFFFFFFFL;
                long usize = e.getInt(24) & 0xFFFFFFFFL;
                long local = e.getInt(42) & 0xFFFFFFFFL;
                expect(problems, e.getInt(0) == 0x02014b50 && e.getShort(4) == VERSION && e.getShort(6) == VERSION
                        && e.getShort(8) == FLAGS && e.getShort(10) == DEFLATED
                        && (e.getShort(12) & 0xFFFF) == dos[0] && (e.getShort(14) & 0xFFFF) == dos[1]
                        && (e.getShort(28) & 0xFFFF) == name.length && e.getShort(30) == 0 && e.getShort(32) == 0
                        && e.getShort(34) == 0 && e.getShort(36) == 0 && e.getInt(38) == 0 && local == expectedLocal,
                        "central entry " + i + " is not canonical");
                expect(problems, java.util.Arrays.equals(bytes(read(ch, c + 46, name.length)), name),
                        "central entry " + i + ": name is not " + names.get(i));
                // local header of this entry, then its data and data descriptor
                ByteBuffer h = read(ch, local, 30);
                expect(problems, h.getInt(0) == 0x04034b50 && h.getShort(4) == VERSION && h.getShort(6) == FLAGS
                        && h.getShort(8) == DEFLATED && (h.getShort(10) & 0xFFFF) == dos[0]
                        && (h.getShort(12) & 0xFFFF) == dos[1] && h.getInt(14) == 0 && h.getInt(18) == 0
                        && h.getInt(22) == 0 && (h.getShort(26) & 0xFFFF) == name.length && h.getShort(28) == 0,
                        "local header " + i + " is not canonical");
                expect(problems, java.util.Arrays.equals(bytes(read(ch, local + 30, name.length)), name),
                        "local header " + i + ": name is not " + names.get(i));
                expect(problems, storedBlocks(ch, local + 30 + name.length, csize),
                        "entry " + i + " is not stored in canonical deflate blocks");
                long dd = local + 30 + name.length + csize;
                ByteBuffer d = read(ch, dd, 16);
                expect(problems, d.getInt(0) == 0x08074b50 && (d.getInt(4) & 0xFFFFFFFFL) == crc
                        && (d.getInt(8) & 0xFFFFFFFFL) == csize && (d.getInt(12) & 0xFFFFFFFFL) == usize,
                        "data descriptor " + i + " does not match the central directory");
                expectedLocal = dd + 16;
                c += 46 + name.length;
            }
            if (problems.isEmpty() && expectedLocal != cdOffset) {
                problems.add("bytes between the last entry and the central directory");
            }
        } catch (IOException | IndexOutOfBoundsException e) {
            problems.add("malformed zip: " + e.getMessage());
        }
        return problems;
    }

    /**
     * Whether {@code [pos, pos + length)} is a deflate stream in the form the bundle's writer (level 0) gives:
     * stored blocks whose header byte is exactly 0 (more follow) or 1 (the last), with LEN and NLEN agreeing, and
     * optionally the two bytes {@code 03 00} of an empty fixed block as the last. A header's unused bits change
     * nothing in the inflated data: without this check, flipping one went unnoticed (found when a longer manifest
     * moved the tampering test's stride onto the signature entry's block header).
     */
    static boolean storedBlocks(FileChannel ch, long pos, long length) throws IOException {
        long end = pos + length;
        long p = pos;
        while (p < end) {
            int header = read(ch, p, 1).get(0) & 0xFF;
            if (header == 0x03 && p + 2 == end) {
                return (read(ch, p + 1, 1).get(0) & 0xFF) == 0;
            }
            if ((header != 0 && header != 1) || p + 5 > end) return false;
            ByteBuffer b = read(ch, p + 1, 4);
            int len = b.getShort(0) & 0xFFFF;
            int nlen = b.getShort(2) & 0xFFFF;
            if ((len ^ 0xFFFF) != nlen) return false;
            p += 5 + len;
            if (header == 1) return p == end;
        }
        return false;
    }

    private static void expect(List<String> problems, boolean ok, String problem) {
        if (!ok) problems.add(problem);
    }

    private static ByteBuffer read(FileChannel ch, long pos, int len) throws IOException {
        if (pos < 0 || pos + len > ch.size()) throw new IOException("truncated at " + pos);
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) throw new IOException("truncated at " + pos);
        }
        return b.flip();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
