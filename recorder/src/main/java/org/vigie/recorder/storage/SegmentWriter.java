package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.vigie.media.VideoFormat;
import org.vigie.recorder.mp4.InitSegmentWriter;

/**
 * Appends fragments to one open segment file and its time index, in an order that survives a crash at any point.
 *
 * <h2>Crash safety</h2>
 * <ol>
 *   <li><b>New segment</b>: create {@code <start>.mp4} (never overwriting), write the init segment
 *       ({@code ftyp + moov}), create the empty {@code <start>.idx}, fsync the segment file, fsync the stream
 *       folder (and, when it was just created, its parents). Only then is the first fragment appended.</li>
 *   <li><b>Each fragment</b>: (1) append {@code prft + moof + mdat} to the segment file, either at once
 *       ({@link #append}) or streamed ({@link #openFragment}, {@link #stream}, {@link #flush},
 *       {@link #closeFragment}): the samples are written as they arrive after a reserved head length, and the head
 *       fills the reserved bytes last, so the writer holds no sample past a {@link #flush}; (2) fsync the segment file
 *       ({@link FsyncPolicy#FRAGMENT}, the default; skipped with {@link FsyncPolicy#NONE}); (3) append the index
 *       entry; (4) the caller publishes it in the in-memory {@link Catalog}. So every published entry points at
 *       bytes already on disk; the index is derived data and is never fsynced per fragment.</li>
 *   <li><b>Close</b> (roll, session end, clean shutdown): fsync the segment file and the index, close both.</li>
 *   <li><b>After a crash</b> the tail segment may end with a partial fragment and its index may miss entries
 *       or hold one entry too many: {@link StorageRecovery} truncates the segment after its last complete fragment
 *       and rebuilds the index from the fragments' {@code prft}/{@code tfdt}/{@code trun}. With
 *       {@link FsyncPolicy#FRAGMENT} a crash loses at most the fragment being written (up to twice the fragment
 *       duration) plus the frames queued in memory; with {@link FsyncPolicy#NONE}, whatever the OS had not yet
 *       written back. A streamed fragment's tail starts with its reserved head: zeros (a hole) or a partly written
 *       head, which the scan never takes for a fragment ({@code prft} expected).</li>
 *   <li><b>Write failure</b> (disk full, I/O error): {@link #abandon()} truncates both files back to the last
 *       complete fragment so that no closed segment ever holds a partial one.</li>
 * </ol>
 *
 * <p>Not thread-safe: confined to the stream's writer thread.
 */
public final class SegmentWriter implements AutoCloseable {

    private final Path segment;
    private final Path index;
    private final FsyncPolicy fsync;
    private final FileChannel data;
    private final FileChannel idx;
    private final long initLength;
    private long position;
    private long indexLength;
    private int fragments;
    private long lastFsyncNanos;
    /** The open streamed fragment: its reserved head length (0 when none is open) and where its next sample goes. */
    private int reserved;
    private long cursor;
    private final java.util.List<ByteBuffer> unflushed = new java.util.ArrayList<>();
    private long unflushedBytes;
    /** Samples gathered into one write at most (a writer thread's drain batch). */
    static final int MAX_GATHER = 64;

    private SegmentWriter(Path segment, FsyncPolicy fsync, FileChannel data, FileChannel idx, long initLength) {
        this.segment = segment;
        this.index = StorageLayout.indexOf(segment);
        this.fsync = fsync;
        this.data = data;
        this.idx = idx;
        this.initLength = initLength;
        this.position = initLength;
    }

    /** Creates {@code <dir>/<baseName>.mp4} and {@code .idx} with the init segment (step 1 above). */
    public static SegmentWriter create(Path dir, String baseName, VideoFormat format, FsyncPolicy fsync)
            throws IOException {
        return create(dir, baseName, format, fsync, ChannelOpener.DEFAULT);
    }

    static SegmentWriter create(Path dir, String baseName, VideoFormat format, FsyncPolicy fsync,
                                ChannelOpener opener) throws IOException {
        boolean newDir = !Files.isDirectory(dir);
        Files.createDirectories(dir);
        Path segment = dir.resolve(baseName + StorageLayout.SEGMENT_SUFFIX);
        Path index = StorageLayout.indexOf(segment);
        FileChannel data = opener.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileChannel idx = null;
        try {
            byte[] init = InitSegmentWriter.write(format);
            writeFully(data, ByteBuffer.wrap(init), 0);
            idx = opener.open(index, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            if (fsync == FsyncPolicy.FRAGMENT) {
                data.force(true);
                StorageLayout.fsyncDirectory(dir);
                if (newDir) {
                    StorageLayout.fsyncDirectory(dir.getParent());
                    StorageLayout.fsyncDirectory(dir.getParent().getParent());
                }
            }
            return new SegmentWriter(segment, fsync, data, idx, init.length);
        } catch (IOException | RuntimeException e) {
            data.close();
            if (idx != null) {
                idx.close();
            }
            Files.deleteIfExists(index);
            Files.deleteIfExists(segment);
            throw e;
        }
    }

    /**
     * Appends one fragment (steps 1-3); the caller publishes afterwards.
     *
     * @param fragment {@code prft + moof + mdat} bytes
     * @param entry    its index entry; its position must be {@link #position()}
     */
    public void append(byte[] fragment, IndexEntry entry) throws IOException {
        append(fragment, java.util.List.of(), entry);
    }

    /**
     * Appends one fragment given as its head and the samples that follow it, with gathering writes (steps 1-3).
     *
     * @param head    {@code prft + moof} and the {@code mdat} header
     * @param samples the {@code mdat} payload, in order
     */
    public void append(byte[] head, java.util.List<byte[]> samples, IndexEntry entry) throws IOException {
        if (reserved != 0) {
            throw new IllegalStateException("a streamed fragment is open");
        }
        if (entry.position() != position) {
            throw new IllegalArgumentException("entry position " + entry.position() + " != " + position);
        }
        ByteBuffer[] parts = new ByteBuffer[1 + samples.size()];
        parts[0] = ByteBuffer.wrap(head);
        long length = head.length;
        for (int i = 0; i < samples.size(); i++) {
            parts[i + 1] = ByteBuffer.wrap(samples.get(i));
            length += samples.get(i).length;
        }
        data.position(position);
        long written = 0;
        while (written < length) {
            written += data.write(parts);
        }
        if (fsync == FsyncPolicy.FRAGMENT) {
            long t0 = System.nanoTime();
            data.force(false);
            lastFsyncNanos = System.nanoTime() - t0;
        }
        writeFully(idx, TimeIndex.encode(entry), indexLength);
        position += length;
        indexLength += TimeIndex.ENTRY_SIZE;
        fragments++;
    }

    /**
     * Opens a streamed fragment at {@link #position()}: its samples go after {@code reservedHead} bytes, which
     * {@link #closeFragment} fills with the head.
     */
    public void openFragment(int reservedHead) {
        if (reserved != 0) {
            throw new IllegalStateException("a fragment is already open");
        }
        if (reservedHead < 8) {
            throw new IllegalArgumentException("reserved head of " + reservedHead + " bytes");
        }
        reserved = reservedHead;
        cursor = position + reservedHead;
    }

    /**
     * Adds one sample of the open fragment; it is written at the latest by the next {@link #flush} (or once
     * {@value #MAX_GATHER} samples wait), and the writer keeps no reference to it after that.
     */
    public void stream(byte[] sample) throws IOException {
        if (reserved == 0) {
            throw new IllegalStateException("no open fragment");
        }
        unflushed.add(ByteBuffer.wrap(sample));
        unflushedBytes += sample.length;
        if (unflushed.size() >= MAX_GATHER) {
            flush();
        }
    }

    /** Writes the samples streamed since the last flush with one gathering write (no fsync). */
    public void flush() throws IOException {
        if (unflushed.isEmpty()) {
            return;
        }
        ByteBuffer[] parts = unflushed.toArray(new ByteBuffer[0]);
        unflushed.clear();
        long length = unflushedBytes;
        unflushedBytes = 0;
        data.position(cursor);
        long written = 0;
        while (written < length) {
            written += data.write(parts);
        }
        cursor += length;
    }

    /**
     * Closes the streamed fragment (steps 1-3): flushes its last samples, writes {@code head} into the reserved
     * bytes, fsyncs, appends the index entry; the caller publishes afterwards.
     *
     * @param head  {@code prft + moof} and the {@code mdat} header, exactly as long as the reserved head
     * @param entry its index entry; its position must be {@link #position()}
     */
    public void closeFragment(byte[] head, IndexEntry entry) throws IOException {
        if (reserved == 0) {
            throw new IllegalStateException("no open fragment");
        }
        if (head.length != reserved) {
            throw new IllegalArgumentException("head of " + head.length + " bytes for " + reserved + " reserved");
        }
        if (entry.position() != position) {
            throw new IllegalArgumentException("entry position " + entry.position() + " != " + position);
        }
        flush();
        writeFully(data, ByteBuffer.wrap(head), position);
        if (fsync == FsyncPolicy.FRAGMENT) {
            long t0 = System.nanoTime();
            data.force(false);
            lastFsyncNanos = System.nanoTime() - t0;
        }
        writeFully(idx, TimeIndex.encode(entry), indexLength);
        position = cursor;
        indexLength += TimeIndex.ENTRY_SIZE;
        fragments++;
        reserved = 0;
    }

    /**
     * Where the next fragment goes = the end of the last complete fragment (the file is longer while a streamed
     * fragment is open).
     */
    public long position() {
        return position;
    }

    public int fragments() {
        return fragments;
    }

    public long initLength() {
        return initLength;
    }

    public Path segment() {
        return segment;
    }

    /** Duration of the last fsync, 0 when none was done. */
    public long lastFsyncNanos() {
        return lastFsyncNanos;
    }

    /** Fsyncs and closes both files (step "close"); a streamed fragment still open is cut off first. */
    @Override
    public void close() throws IOException {
        if (reserved != 0) {
            unflushed.clear();
            reserved = 0;
            data.truncate(position);
        }
        try (data; idx) {
            data.force(true);
            idx.force(true);
        }
    }

    /**
     * After a failed append: cuts both files back to the last complete fragment and closes them, ignoring further
     * errors (the disk may be full or gone). A segment without any fragment is deleted.
     */
    public void abandon() {
        unflushed.clear();
        reserved = 0;
        try (data; idx) {
            data.truncate(position);
            idx.truncate(indexLength);
            data.force(true);
            idx.force(true);
        } catch (IOException | RuntimeException ignored) {
            // best effort: recovery at the next start-up validates the tail segment anyway
        }
        if (fragments == 0) {
            try {
                Files.deleteIfExists(index);
                Files.deleteIfExists(segment);
            } catch (IOException ignored) {
                // same
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }
}
