package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.media.StreamKey;

/**
 * Destroys closed segments in an order that survives a crash at any point, one batch (one stream, one volume) at a
 * time.
 *
 * <h2>Crash safety</h2>
 * <ol>
 *   <li>Write the batch's {@link DeletionMark} to {@code <volume>/.deleting/}, fsync it and the folder. A crash
 *       before this point leaves either no mark or a torn one (discarded at start-up): nothing was removed.</li>
 *   <li>Remove the segments from the {@link Catalog}: new readers stop seeing them (a reader that already opened a
 *       file keeps reading it: Linux keeps an unlinked file's data until its last descriptor is closed).</li>
 *   <li>Unlink each {@code .mp4}, then its {@code .idx}. The segment goes first because start-up
 *       {@link StorageRecovery} rebuilds a missing index from its segment (which would resurrect footage due for
 *       destruction if the mark were ever lost) but deletes an index whose segment is gone.</li>
 *   <li>Fsync the stream folder: the unlinks are durable.</li>
 *   <li>Tell the {@link DeletionListener} (the register of recordings appends and fsyncs its entry).</li>
 *   <li>Delete the mark (and fsync the mark folder).</li>
 * </ol>
 * After a crash, {@link #finishPending} (run by {@link Recorder#open} before recovery and before the catalog is
 * loaded) redoes steps 3-6 for every complete mark: the index never points at a deleted file, no file outlives its
 * mark, and the listener hears of each batch at least once (idempotent by {@link DeletionMark#id()}).
 *
 * <p>Never deletes an open segment ({@link OpenSegments}): such a batch is refused. Thread-safe for batches of
 * different streams; the caller (one sweeper thread) must not delete the same segment twice concurrently.
 */
public final class SegmentDeleter {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentDeleter.class);

    private final Catalog catalog;
    private final OpenSegments open;
    private final List<Path> volumes;
    private final DeletionListener listener;
    private final DeletionSteps steps;

    public SegmentDeleter(Catalog catalog, OpenSegments open, List<Path> volumes, DeletionListener listener) {
        this(catalog, open, volumes, listener, DeletionSteps.NONE);
    }

    /** @param steps told as each point of the protocol is passed (a crash test stops the process at one of them) */
    public SegmentDeleter(Catalog catalog, OpenSegments open, List<Path> volumes, DeletionListener listener,
                          DeletionSteps steps) {
        this.catalog = catalog;
        this.open = open;
        this.volumes = List.copyOf(volumes);
        this.listener = listener;
        this.steps = steps;
    }

    /**
     * Destroys a batch of closed segments of one stream, all in the same folder.
     *
     * @param segments as read from the catalog, any order
     * @param cause    {@code retention}, {@code quota} or {@code manual}
     * @return the mark describing what was destroyed
     * @throws IllegalArgumentException when a segment is open, or the batch spans folders
     */
    public DeletionMark delete(StreamKey key, List<SegmentInfo> segments, String cause, Instant now)
            throws IOException {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        List<SegmentInfo> sorted = new ArrayList<>(segments);
        sorted.sort((a, b) -> Long.compare(a.startMicros(), b.startMicros()));
        Path dir = sorted.get(0).segment().getParent();
        Path volume = StorageVolumes.rootOf(volumes, dir);
        if (volume == null || !dir.equals(StorageLayout.streamDir(volume, key))) {
            throw new IllegalArgumentException("segment " + sorted.get(0).segment() + " is not in a stream folder of "
                    + key + " on a known volume");
        }
        List<DeletionMark.Segment> entries = new ArrayList<>(sorted.size());
        for (SegmentInfo s : sorted) {
            if (!s.segment().getParent().equals(dir)) {
                throw new IllegalArgumentException("a batch stays in one folder: " + s.segment() + " vs " + dir);
            }
            if (open.isOpen(s.segment())) {
                throw new IllegalArgumentException("segment is being written: " + s.segment());
            }
            entries.add(new DeletionMark.Segment(StorageLayout.baseNameOf(s.segment()), s.startMicros(),
                    s.endMicros(), s.bytes()));
        }
        DeletionMark mark = new DeletionMark(key, cause, now, entries);
        writeMark(volume, mark);                                            // step 1
        steps.passed(DeletionSteps.Step.MARKED, mark, -1);
        for (SegmentInfo s : sorted) {
            catalog.remove(key, s.startMicros());                           // step 2
        }
        steps.passed(DeletionSteps.Step.UNLISTED, mark, -1);
        complete(volume, mark, listener, steps);                            // steps 3-6
        return mark;
    }

    /**
     * Finishes every deletion a crash interrupted on a volume (steps 3-6); discards torn marks. Run before anything
     * else reads the volume.
     *
     * @return the batches finished
     */
    public static List<DeletionMark> finishPending(Path volume, DeletionListener listener) throws IOException {
        List<DeletionMark> done = new ArrayList<>();
        for (Path file : StorageLayout.deletionMarks(volume)) {
            DeletionMark mark = DeletionMark.read(file);
            if (mark == null) {
                LOG.warn("deletion: discarding torn mark {} (nothing had been removed yet)", file);
                Files.delete(file);
                continue;
            }
            LOG.warn("deletion: finishing {} interrupted by a crash: {} segment(s) of {}", file,
                    mark.segments().size(), mark.key());
            complete(volume, mark, listener, DeletionSteps.NONE);
            done.add(mark);
        }
        if (!done.isEmpty() || Files.isDirectory(StorageLayout.deletingDir(volume))) {
            StorageLayout.fsyncDirectory(StorageLayout.deletingDir(volume));
        }
        return done;
    }

    private static void writeMark(Path volume, DeletionMark mark) throws IOException {
        Path dir = StorageLayout.deletingDir(volume);
        boolean newDir = !Files.isDirectory(dir);
        Files.createDirectories(dir);
        if (newDir) {
            StorageLayout.fsyncDirectory(volume);
        }
        Path file = mark.file(volume);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var b = java.nio.ByteBuffer.wrap(mark.encode().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        StorageLayout.fsyncDirectory(dir);
    }

    private static void complete(Path volume, DeletionMark mark, DeletionListener listener, DeletionSteps steps)
            throws IOException {
        Path dir = StorageLayout.streamDir(volume, mark.key());
        if (Files.isDirectory(dir)) {
            for (int i = 0; i < mark.segments().size(); i++) {
                DeletionMark.Segment s = mark.segments().get(i);
                Files.deleteIfExists(dir.resolve(s.baseName() + StorageLayout.SEGMENT_SUFFIX));
                steps.passed(DeletionSteps.Step.SEGMENT_UNLINKED, mark, i);
                Files.deleteIfExists(dir.resolve(s.baseName() + StorageLayout.INDEX_SUFFIX));
                steps.passed(DeletionSteps.Step.INDEX_UNLINKED, mark, i);
            }
            StorageLayout.fsyncDirectory(dir);
        }
        steps.passed(DeletionSteps.Step.FOLDER_SYNCED, mark, -1);
        listener.destroyed(mark);
        steps.passed(DeletionSteps.Step.LISTENER_TOLD, mark, -1);
        Files.delete(mark.file(volume));
        StorageLayout.fsyncDirectory(StorageLayout.deletingDir(volume));
        steps.passed(DeletionSteps.Step.MARK_DELETED, mark, -1);
    }
}
