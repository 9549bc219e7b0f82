package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;

/**
 * The recording service: owns the storage root, one {@link StreamRecorder} per stream, and a small fixed pool of
 * writer threads.
 *
 * <p>Life cycle: {@link #open} removes the clean-shutdown marker (fsyncing the removal) or, when it is absent, runs
 * {@link StorageRecovery}; then loads the {@link Catalog} and starts the writer threads. {@link #sink} gives the
 * ingest a non-blocking {@link FrameSink} per stream (bounded queue, drops counted; see {@link StreamQueue}); each
 * stream is pinned to one writer thread (round robin at creation) so its frames stay in order. {@link #close}
 * stops accepting frames, writes what is queued, closes every segment (fsync) and writes the marker
 * {@code <storage>/.clean-shutdown} (on every volume).
 *
 * <p>Volumes: {@link StorageVolumes} decides where each new segment goes; the catalog merges all volumes. Deletion
 * goes through {@link #deleter()} only (crash-safe, never an open segment: {@link OpenSegments}).
 *
 * <p>Thread-safe.
 */
public final class Recorder implements AutoCloseable {

    /**
     * How long {@link #close()} keeps writing the frames queued at the time: beyond it they are dropped (counted),
     * and the segments closed, so that a shutdown under overload ends in bounded time (issue 17).
     */
    static final java.time.Duration CLOSE_DRAIN = java.time.Duration.ofSeconds(3);

    private final RecorderConfig config;
    private final InstantSource clock;
    private final Catalog catalog;
    private final RecoveryReport recovery;
    private final StorageVolumes volumes;
    private final OpenSegments open = new OpenSegments();
    private final SegmentDeleter deleter;
    private final List<DeletionMark> finishedDeletions;
    private final WriterThread[] writers;
    private final Map<StreamKey, StreamQueue> queues = new ConcurrentHashMap<>();
    /** The bytes all stream queues may hold together: a quarter of the heap (issue 17: never a heap of frames). */
    private final QueueBudget budget = QueueBudget.ofHeap(Runtime.getRuntime().maxMemory());
    private int nextWriter;
    private boolean closed;

    private Recorder(RecorderConfig config, InstantSource clock, Catalog catalog, RecoveryReport recovery,
                     StorageVolumes volumes, DeletionListener listener, List<DeletionMark> finishedDeletions) {
        this.config = config;
        this.clock = clock;
        this.catalog = catalog;
        this.recovery = recovery;
        this.volumes = volumes;
        this.deleter = new SegmentDeleter(catalog, open, volumes.roots(), listener);
        this.finishedDeletions = List.copyOf(finishedDeletions);
        this.writers = new WriterThread[config.writerThreads()];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = new WriterThread("vigie-writer-" + i);
            writers[i].start();
        }
    }

    /** Recovers (if needed) and opens the storage {@code config.storage()}, ready to record. */
    public static Recorder open(RecorderConfig config, InstantSource clock) throws IOException {
        return open(config, clock, StorageVolumes.single(config.storage()), DeletionListener.NONE);
    }

    /**
     * Opens several volumes ({@code config.storage()} is then unused): on each, first finishes the deletions a
     * crash interrupted ({@link SegmentDeleter#finishPending}, telling {@code listener}), then removes the
     * clean-shutdown marker or runs {@link StorageRecovery}; then loads one {@link Catalog} over all volumes.
     *
     * @param listener told of every segment batch destroyed, now (interrupted deletions) and later
     *                 ({@link #deleter()})
     */
    public static Recorder open(RecorderConfig config, InstantSource clock, StorageVolumes volumes,
                                DeletionListener listener) throws IOException {
        List<DeletionMark> finished = new ArrayList<>();
        List<RecoveryReport> reports = new ArrayList<>();
        for (Path storage : volumes.roots()) {
            Files.createDirectories(storage);
            finished.addAll(SegmentDeleter.finishPending(storage, listener));
            Path marker = storage.resolve(StorageLayout.CLEAN_SHUTDOWN_MARKER);
            if (Files.exists(marker)) {
                Files.delete(marker);
                StorageLayout.fsyncDirectory(storage);
                reports.add(new RecoveryReport(true, List.of(), List.of()));
            } else {
                reports.add(StorageRecovery.recover(storage));
            }
        }
        RecoveryReport report = reports.size() == 1 ? reports.get(0) : new RecoveryReport(
                reports.stream().allMatch(RecoveryReport::skipped),
                reports.stream().flatMap(r -> r.segments().stream()).toList(),
                reports.stream().flatMap(r -> r.orphanIndexesDeleted().stream()).toList());
        return new Recorder(config, clock, Catalog.load(volumes.roots()), report, volumes, listener, finished);
    }

    /** The sink of a stream, created on first use. */
    public synchronized FrameSink sink(StreamKey key) {
        if (closed) {
            throw new IllegalStateException("recorder closed");
        }
        return queues.computeIfAbsent(key, k -> {
            StreamCounters c = new StreamCounters();
            WriterThread w = writers[nextWriter++ % writers.length];
            StreamQueue q = new StreamQueue(new StreamRecorder(k, config, catalog, clock, c, ChannelOpener.DEFAULT,
                    volumes, open), w,
                    config.queueCapacity(), budget);
            w.add(q);
            return q;
        });
    }

    /** The shared byte bound of the stream queues. */
    public QueueBudget queueBudget() {
        return budget;
    }

    /** Streams dropping frames for lack of queue room now or within the last minute. */
    public long overloadedStreams() {
        return queues.values().stream().filter(StreamQueue::overloaded).count();
    }

    public Catalog catalog() {
        return catalog;
    }

    public ArchiveReader archive() {
        return new ArchiveReader(catalog);
    }

    /** Destroys closed segments crash-safely (the retention sweeper's tool); never an open one. */
    public SegmentDeleter deleter() {
        return deleter;
    }

    /** The segments being written now. */
    public OpenSegments openSegments() {
        return open;
    }

    public StorageVolumes volumes() {
        return volumes;
    }

    /** Deletions a crash had interrupted, finished by {@link #open}. */
    public List<DeletionMark> finishedDeletions() {
        return finishedDeletions;
    }

    public RecoveryReport recoveryReport() {
        return recovery;
    }

    public RecorderConfig config() {
        return config;
    }

    /** The counters of a stream that has a sink. */
    public Optional<StreamStats> stats(StreamKey key) {
        return Optional.ofNullable(queues.get(key)).map(StreamQueue::stats);
    }

    public Map<StreamKey, StreamStats> stats() {
        return queues.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().stats()));
    }

    /**
     * Clean shutdown: writes what is queued (for up to {@link #CLOSE_DRAIN}; the rest is dropped and counted),
     * closes and fsyncs every segment, writes the clean-shutdown marker. Frames offered afterwards are dropped.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        queues.values().forEach(StreamQueue::close);
        long deadline = System.nanoTime() + CLOSE_DRAIN.toNanos();
        for (WriterThread w : writers) {
            w.stop(deadline);
        }
        try {
            for (WriterThread w : writers) {
                w.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while closing the recorder; no clean-shutdown marker written", e);
        }
        for (Path storage : volumes.roots()) {
            Path marker = storage.resolve(StorageLayout.CLEAN_SHUTDOWN_MARKER);
            try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            StorageLayout.fsyncDirectory(storage);
        }
    }
}
