package org.vigie.server.cluster;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.TimeSpan;
import org.vigie.server.store.SpanCatalogue;

/**
 * Keeps this node's rows of the {@link SpanCatalogue} in step with its archive (issue 13). A full pass
 * ({@link SpanCatalogue#replace}) at start and every {@link #FULL_PASS} (retention deletes the oldest spans); in
 * between, every {@link #INTERVAL}, an incremental pass reads only what was recorded since the last one and moves
 * the end of the open run forward ({@link SpanCatalogue#extendAll}): one transaction per pass, one row per run, not
 * a write per segment.
 *
 * <p>Invariant: for each stream, {@code open} is the run last written (start as stored); a span read starting
 * within {@link ArchiveReader#DEFAULT_MERGE_TOLERANCE} of its end continues it. The window of an incremental pass
 * starts before that end, so a span clipped by the window is always a continuation. One thread; blocking.
 */
public final class SpanCatalogueWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpanCatalogueWriter.class);
    /** How often the catalogue catches up with the recording: the lag of the merged timeline on other nodes. */
    public static final Duration INTERVAL = Duration.ofSeconds(5);
    static final Duration FULL_PASS = Duration.ofHours(1);
    static final List<String> STREAMS = List.of(StreamKey.MAIN, StreamKey.SUB);

    private final SpanCatalogue catalogue;
    private final ArchiveReader archive;
    private final String node;
    private final Supplier<List<String>> cameras;
    private final InstantSource clock;
    private final Map<StreamKey, TimeSpan> open = new HashMap<>();
    private ScheduledExecutorService executor;
    private Instant lastFull;

    /** @param cameras every camera this node may hold bytes of (all cameras of the cluster) */
    public SpanCatalogueWriter(SpanCatalogue catalogue, ArchiveReader archive, String node,
                               Supplier<List<String>> cameras, InstantSource clock) {
        this.catalogue = catalogue;
        this.archive = archive;
        this.node = node;
        this.cameras = cameras;
        this.clock = clock;
    }

    /** Starts the passes on a thread of its own. */
    public SpanCatalogueWriter start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "span-catalogue");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::passQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void passQuietly() {
        try {
            pass();
        } catch (Exception e) { // the store down: the next pass catches up (the archive is the truth)
            LOG.warn("span catalogue not updated: {}", e.toString());
        }
    }

    /** One pass: full when due, else incremental. */
    public synchronized void pass() throws Exception {
        Instant now = clock.instant();
        boolean full = lastFull == null || !now.isBefore(lastFull.plus(FULL_PASS));
        List<SpanCatalogue.Run> runs = new ArrayList<>();
        Map<StreamKey, TimeSpan> before = new HashMap<>(open);
        for (String camera : cameras.get()) {
            for (String stream : STREAMS) {
                StreamKey key = new StreamKey(camera, stream);
                if (full) {
                    List<TimeSpan> all = archive.spans(key, Instant.EPOCH, now.plusSeconds(60));
                    if (!all.isEmpty() || open.containsKey(key) || lastFull == null) {
                        catalogue.replace(node, key, all);
                    }
                    if (all.isEmpty()) open.remove(key); else open.put(key, all.get(all.size() - 1));
                } else {
                    incremental(key, now, runs);
                }
            }
        }
        try {
            catalogue.extendAll(node, runs); // one transaction per pass
        } catch (Exception e) { // the store down: the next pass writes the same runs again, further extended
            open.clear();
            open.putAll(before);
            throw e;
        }
        if (full) lastFull = now;
    }

    /** Adds to {@code runs} what moved since the last pass; {@code open} is updated as if written. */
    private void incremental(StreamKey key, Instant now, List<SpanCatalogue.Run> runs) {
        TimeSpan run = open.get(key);
        Instant from = run == null ? now.minus(FULL_PASS) : run.end().minusSeconds(2);
        Instant tolerance = run == null ? null : run.end().plus(ArchiveReader.DEFAULT_MERGE_TOLERANCE);
        for (TimeSpan s : archive.spans(key, from, now.plusSeconds(60))) {
            if (run != null && !s.start().isAfter(tolerance)) {
                if (!s.end().isAfter(run.end())) continue; // nothing new
                run = new TimeSpan(run.start(), s.end());
            } else {
                run = s; // a new run (after a gap, or the first)
            }
            runs.add(new SpanCatalogue.Run(key, run));
            tolerance = run.end().plus(ArchiveReader.DEFAULT_MERGE_TOLERANCE);
        }
        if (run != null) open.put(key, run);
    }

    @Override
    public void close() {
        if (executor != null) executor.shutdownNow();
    }
}
