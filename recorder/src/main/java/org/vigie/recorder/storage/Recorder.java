package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
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
 * {@code <storage>/.clean-shutdown}.
 *
 * <p>Thread-safe.
 */
public final class Recorder implements AutoCloseable {

    private final RecorderConfig config;
    private final InstantSource clock;
    private final Catalog catalog;
    private final RecoveryReport recovery;
    private final WriterThread[] writers;
    private final Map<StreamKey, StreamQueue> queues = new ConcurrentHashMap<>();
    private int nextWriter;
    private boolean closed;

    private Recorder(RecorderConfig config, InstantSource clock, Catalog catalog, RecoveryReport recovery) {
        this.config = config;
        this.clock = clock;
        this.catalog = catalog;
        this.recovery = recovery;
        this.writers = new WriterThread[config.writerThreads()];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = new WriterThread("vigie-writer-" + i);
            writers[i].start();
        }
    }

    /** Recovers (if needed) and opens the storage, ready to record. */
    public static Recorder open(RecorderConfig config, InstantSource clock) throws IOException {
        Path storage = config.storage();
        Files.createDirectories(storage);
        Path marker = storage.resolve(StorageLayout.CLEAN_SHUTDOWN_MARKER);
        RecoveryReport report;
        if (Files.exists(marker)) {
            Files.delete(marker);
            StorageLayout.fsyncDirectory(storage);
            report = new RecoveryReport(true, java.util.List.of(), java.util.List.of());
        } else {
            report = StorageRecovery.recover(storage);
        }
        return new Recorder(config, clock, Catalog.load(storage), report);
    }

    /** The sink of a stream, created on first use. */
    public synchronized FrameSink sink(StreamKey key) {
        if (closed) {
            throw new IllegalStateException("recorder closed");
        }
        return queues.computeIfAbsent(key, k -> {
            StreamCounters c = new StreamCounters();
            WriterThread w = writers[nextWriter++ % writers.length];
            StreamQueue q = new StreamQueue(new StreamRecorder(k, config, catalog, clock, c), w,
                    config.queueCapacity());
            w.add(q);
            return q;
        });
    }

    public Catalog catalog() {
        return catalog;
    }

    public ArchiveReader archive() {
        return new ArchiveReader(catalog);
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

    /** Clean shutdown; frames offered afterwards are dropped. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        queues.values().forEach(StreamQueue::close);
        for (WriterThread w : writers) {
            w.stop();
        }
        try {
            for (WriterThread w : writers) {
                w.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while closing the recorder; no clean-shutdown marker written", e);
        }
        Path marker = config.storage().resolve(StorageLayout.CLEAN_SHUTDOWN_MARKER);
        try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        StorageLayout.fsyncDirectory(config.storage());
    }
}
