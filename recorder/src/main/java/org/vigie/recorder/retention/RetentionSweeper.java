package org.vigie.recorder.retention;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.storage.OpenSegments;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.SegmentDeleter;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.recorder.storage.TimeIndex;

/**
 * Enforces retention and free space, segment by segment, on a scheduled thread (never a writer thread).
 *
 * <p>Each {@link #runOnce run}, with {@code now} from the injected clock:
 * <ol>
 *   <li><b>Retention</b>: for every stream, each closed segment whose first picture is older than its camera's
 *       retention ({@link RetentionPolicy}) is destroyed (cause {@code retention}). A segment is judged by its
 *       <em>start</em>, so no picture is ever kept beyond the retention (plus one sweep interval); the price is that
 *       a segment goes up to one segment duration early.</li>
 *   <li><b>Quota</b>: for every volume under its target free space ({@link StorageVolume}), the oldest closed
 *       segments of that volume across all cameras (merged by start time, so every camera keeps the same depth of
 *       history) are destroyed (cause {@code quota}) until the expected freed bytes cover the shortfall.</li>
 * </ol>
 * Invariants: a segment overlapping an active {@link LegalHold} of its camera is never destroyed; an open segment
 * ({@link OpenSegments}) is never destroyed; each run destroys at most {@code maxSegmentsPerRun} segments (the next
 * run continues), and the stream the retention pass starts with rotates from run to run so that no stream starves.
 * Deletion is {@link SegmentDeleter}'s crash-safe protocol, and every batch reaches the register through its
 * listener. A failed batch is logged, counted and retried by a later run; a hold that cannot be evaluated (dates
 * beyond the microsecond range, written before dates were bounded) is logged and counted, and keeps its camera's
 * footage, while the sweep goes on for every other camera; a stream or a volume whose pass fails is logged and
 * counted, and the others go on; a run never throws.
 *
 * <p>Thread-safety: runs are serialised ({@link #runOnce} is synchronized); counters may be read by any thread.
 */
public final class RetentionSweeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);
    public static final String RETENTION = "retention";
    public static final String QUOTA = "quota";

    private final Catalog catalog;
    private final OpenSegments open;
    private final SegmentDeleter deleter;
    private final VolumeSet volumes;
    private final HoldRegistry holds;
    private final RetentionPolicy policy;
    private final InstantSource clock;
    private final int maxSegmentsPerRun;

    private final AtomicLong retentionDeleted = new AtomicLong();
    private final AtomicLong quotaDeleted = new AtomicLong();
    private final AtomicLong bytesFreed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong runs = new AtomicLong();
    private volatile List<VolumeStatus> lastVolumes = List.of();
    private volatile SweepReport lastReport;
    private ScheduledFuture<?> schedule;

    /**
     * @param volumes the recorder's volumes (same roots as {@code recorder.volumes()})
     */
    public RetentionSweeper(Recorder recorder, VolumeSet volumes, HoldRegistry holds, RetentionPolicy policy,
                            InstantSource clock, int maxSegmentsPerRun) {
        if (!volumes.roots().equals(recorder.volumes().roots())) {
            throw new IllegalArgumentException("sweeper volumes " + volumes.roots() + " differ from the recorder's "
                    + recorder.volumes().roots());
        }
        if (maxSegmentsPerRun < 1) {
            throw new IllegalArgumentException("max segments per run must be >= 1: " + maxSegmentsPerRun);
        }
        this.catalog = recorder.catalog();
        this.open = recorder.openSegments();
        this.deleter = recorder.deleter();
        this.volumes = volumes;
        this.holds = holds;
        this.policy = policy;
        this.clock = clock;
        this.maxSegmentsPerRun = maxSegmentsPerRun;
    }

    /** Runs every {@code interval} on {@code executor} (first run at once) until {@link #close}. */
    public synchronized void start(ScheduledExecutorService executor, Duration interval) {
        if (schedule != null) {
            throw new IllegalStateException("already started");
        }
        schedule = executor.scheduleWithFixedDelay(this::runQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.error("retention sweep failed", e);
        }
    }

    /** One bounded sweep; see the class comment. */
    public synchronized SweepReport runOnce() {
        Instant now = clock.instant();
        long nowMicros = micros(now);
        List<LegalHold> active = holds.active(now);
        Run run = new Run(now, active);
        List<StreamKey> keys = new ArrayList<>(catalog.streams());
        keys.sort(Comparator.comparing(StreamKey::toString));
        int n = keys.size();
        long turn = runs.getAndIncrement();
        for (int i = 0; i < n && run.budget > 0; i++) {
            StreamKey key = keys.get((int) ((turn + i) % n));
            try {
                retentionPass(run, key, nowMicros);
            } catch (RuntimeException e) {
                run.failures++;
                failures.incrementAndGet();
                LOG.error("{}: the retention pass failed; the other streams go on and a later sweep retries", key, e);
            }
        }
        for (VolumeStatus v : volumes.status()) {
            if (v.belowTarget() && run.budget > 0) {
                try {
                    freeSpace(run, v);
                } catch (RuntimeException e) {
                    run.failures++;
                    failures.incrementAndGet();
                    LOG.error("volume {}: the free-space pass failed; a later sweep retries", v.path(), e);
                }
            }
        }
        return finish(run);
    }

    /** The retention pass of one stream. */
    private void retentionPass(Run run, StreamKey key, long nowMicros) {
        long cutoff = nowMicros - policy.retentionOf(key.cameraId()).toNanos() / 1000;
        // A batch reaches the register as one range: it holds only consecutive segments of the stream, so a
        // kept segment (held, open) always ends the batches in progress and never lies inside a listed range.
        List<List<SegmentInfo>> batches = new ArrayList<>();
        Map<Path, List<SegmentInfo>> current = new LinkedHashMap<>();
        for (SegmentInfo s : catalog.ascending(key)) {
            if (s.startMicros() >= cutoff || run.budget == 0) {
                break;
            }
            if (run.deletable(key, s, true)) {
                current.computeIfAbsent(s.segment().getParent(), d -> {
                    List<SegmentInfo> b = new ArrayList<>();
                    batches.add(b);
                    return b;
                }).add(s);
                run.budget--;
            } else {
                current.clear();
            }
        }
        for (List<SegmentInfo> b : batches) {
            run.delete(key, b, RETENTION);
        }
    }

    /** The end of a run: its report, logged when it did something. */
    private SweepReport finish(Run run) {
        lastVolumes = volumes.status();
        SweepReport report = new SweepReport(run.retention, run.quota, run.bytes, run.held, run.budget == 0,
                run.failures, lastVolumes);
        lastReport = report;
        if (report.retentionSegments() + report.quotaSegments() > 0 || report.failures() > 0) {
            LOG.info("retention sweep: {} segment(s) past retention and {} for free space destroyed ({} bytes), {} "
                            + "kept under legal hold, {} failure(s){}", report.retentionSegments(),
                    report.quotaSegments(), report.bytesFreed(), report.heldKept(), report.failures(),
                    report.budgetExhausted() ? ", more to do" : "");
        }
        return report;
    }

    /** The quota pass on one volume: oldest first across every stream of the volume. */
    private void freeSpace(Run run, VolumeStatus v) {
        long need = v.targetFreeBytes() - v.usableBytes();
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingLong(h -> h.current.startMicros()));
        for (StreamKey key : catalog.streams()) {
            Head h = new Head(key, catalog.ascending(key).iterator(), v.path(), run);
            if (h.advance()) {
                heads.add(h);
            }
        }
        Map<StreamKey, List<List<SegmentInfo>>> batch = new LinkedHashMap<>();
        long planned = 0;
        while (planned < need && run.budget > 0 && !heads.isEmpty()) {
            Head h = heads.poll();
            List<List<SegmentInfo>> runs = batch.computeIfAbsent(h.key, k -> new ArrayList<>());
            if (runs.isEmpty() || h.skipped) {
                runs.add(new ArrayList<>()); // a kept segment lies before this one: start a new range
            }
            runs.get(runs.size() - 1).add(h.current);
            planned += sizeOf(h.current);
            run.budget--;
            if (h.advance()) {
                heads.add(h);
            }
        }
        if (planned < need && heads.isEmpty()) {
            LOG.warn("volume {} is {} bytes under its free-space target and nothing more may be destroyed (legal "
                    + "holds, open segments): new segments go to the volume with most room", v.path(), need - planned);
        }
        batch.forEach((key, runs) -> runs.forEach(segments -> run.delete(key, segments, QUOTA)));
    }

    private static long sizeOf(SegmentInfo s) {
        return s.bytes() + (long) s.fragmentCount() * TimeIndex.ENTRY_SIZE;
    }

    /** The next deletable segment of one stream on one volume. */
    private final class Head {
        final StreamKey key;
        final Iterator<SegmentInfo> it;
        final Path volume;
        final Run run;
        SegmentInfo current;
        /** Whether {@link #advance()} passed over a segment that stays (held, open, or on another volume). */
        boolean skipped;

        Head(StreamKey key, Iterator<SegmentInfo> it, Path volume, Run run) {
            this.key = key;
            this.it = it;
            this.volume = volume;
            this.run = run;
        }

        boolean advance() {
            skipped = false;
            while (it.hasNext()) {
                SegmentInfo s = it.next();
                if (run.deleted(s)) {
                    continue;
                }
                if (s.segment().startsWith(volume) && run.deletable(key, s, false)) {
                    current = s;
                    return true;
                }
                skipped = true;
            }
            return false;
        }
    }

    /** The state of one run. */
    private final class Run {
        final Instant now;
        final List<LegalHold> holds;
        final java.util.Set<Path> gone = new java.util.HashSet<>();
        final java.util.Set<String> badHolds = new java.util.HashSet<>();
        int budget = maxSegmentsPerRun;
        int retention;
        int quota;
        int held;
        int failures;
        long bytes;

        Run(Instant now, List<LegalHold> holds) {
            this.now = now;
            this.holds = holds;
        }

        boolean deleted(SegmentInfo s) {
            return gone.contains(s.segment());
        }

        boolean deletable(StreamKey key, SegmentInfo s, boolean due) {
            if (open.isOpen(s.segment())) {
                return false;
            }
            for (LegalHold h : holds) {
                boolean covers;
                try {
                    covers = h.covers(key.cameraId(), s.startMicros(), s.endMicros(), now);
                } catch (RuntimeException e) {
                    badHold(h, e);
                    covers = h.cameraId().equals(key.cameraId()); // unreadable: keep the camera's footage
                }
                if (covers) {
                    if (due) {
                        held++;
                    }
                    return false;
                }
            }
            return true;
        }

        /** A hold the sweep cannot evaluate: counted and logged once per run, and the others go on. */
        void badHold(LegalHold h, RuntimeException e) {
            if (badHolds.add(h.id())) {
                failures++;
                RetentionSweeper.this.failures.incrementAndGet();
                LOG.error("legal hold {} of {} cannot be evaluated ({}): the camera's footage is kept; release it "
                        + "and create a valid one", h.id(), h.cameraId(), e.toString());
            }
        }

        void delete(StreamKey key, List<SegmentInfo> segments, String cause) {
            try {
                deleter.delete(key, segments, cause, now);
                long freed = segments.stream().mapToLong(RetentionSweeper::sizeOf).sum();
                segments.forEach(s -> gone.add(s.segment()));
                bytes += freed;
                bytesFreed.addAndGet(freed);
                if (cause.equals(RETENTION)) {
                    retention += segments.size();
                    retentionDeleted.addAndGet(segments.size());
                } else {
                    quota += segments.size();
                    quotaDeleted.addAndGet(segments.size());
                }
            } catch (IOException | RuntimeException e) {
                failures++;
                RetentionSweeper.this.failures.incrementAndGet();
                LOG.error("{}: destroying {} segment(s) ({}) failed; a later sweep retries", key, segments.size(),
                        cause, e);
            }
        }
    }

    /** Segments destroyed because of their age, since start. */
    public long segmentsDeletedByRetention() {
        return retentionDeleted.get();
    }

    /** Segments destroyed to keep free space, since start. */
    public long segmentsDeletedByQuota() {
        return quotaDeleted.get();
    }

    public long bytesFreed() {
        return bytesFreed.get();
    }

    /** Failed deletion batches and failed runs, since start. */
    public long failures() {
        return failures.get();
    }

    public long runs() {
        return runs.get();
    }

    /** The volumes as measured at the end of the last run (empty before the first). */
    public List<VolumeStatus> volumeStatus() {
        return lastVolumes;
    }

    /** The last run's report, or null before the first. */
    public SweepReport lastReport() {
        return lastReport;
    }

    /** Stops the schedule (a run in progress finishes). */
    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.cancel(false);
        }
    }

    static long micros(Instant t) {
        return LegalHold.micros(t);
    }
}
