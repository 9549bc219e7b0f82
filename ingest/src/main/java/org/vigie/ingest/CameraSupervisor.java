package org.vigie.ingest;

import org.vigie.base.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one camera stream ingesting: opens an {@link IngestSession} of its {@link IngestEngine} per connection (each with a new session
 * id), and on bus ERROR, EOS or the no-data watchdog tears it down and reconnects after a capped exponential
 * {@link Backoff} (reset after a stable period). Its state is an explicit {@link CameraState} with the last
 * classified {@link IngestError} and {@link IngestCounters}.
 *
 * <p>Threads: every transition runs as a task on the injected scheduled executor (shared by all supervisors),
 * under this supervisor's lock, so transitions are serialised even on a multi-threaded executor. The engine's
 * threads (GStreamer's bus and streaming threads, the Java client's event loops) only submit tasks: they never
 * block and never take the lock.
 * Teardown (state NULL) runs on the executor: size it for the number of cameras (2-4 threads for 1,200).
 *
 * <p>Invariants: at most one pipeline exists per supervisor; events of a pipeline that is no longer current are
 * ignored; in {@link CameraState#DISABLED} there is no pipeline and no scheduled retry.
 */
public final class CameraSupervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CameraSupervisor.class);

    private final StreamKey key;
    private final IngestOptions options;
    private final SupervisorSettings settings;
    private final FrameSink sink;
    private final ScheduledExecutorService executor;
    private final InstantSource clock;
    private final WallClock.Factory wallClocks;
    private final LongSupplier sessionIds;
    private final IngestCounters counters;
    private final IngestEngine engine;
    private final List<CameraStateListener> listeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    // Guarded by lock.
    private final Backoff backoff;
    private CameraState state = CameraState.DISABLED;
    private Instant since;
    private IngestError lastError;
    private IngestSession current;
    private Instant attemptStarted;
    private Instant streamingSince;
    private ScheduledFuture<?> pendingConnect;
    private ScheduledFuture<?> watchdog;
    private long lastSessionId;
    private boolean closed;
    /** Set at once by {@link #closeAsync()}, before its task runs: no reconnection starts after it (any thread). */
    private volatile boolean closing;

    private volatile CameraStatus snapshot;

    /**
     * @param sessionIds gives a new, never reused session id per connection (see {@link SessionIds})
     * @param engine     makes each connection's session (GStreamer, the Java client, or a choice between both)
     */
    public CameraSupervisor(StreamKey key, IngestOptions options, SupervisorSettings settings, FrameSink sink,
                            ScheduledExecutorService executor, InstantSource clock, WallClock.Factory wallClocks,
                            LongSupplier sessionIds, IngestEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.key = Objects.requireNonNull(key, "key");
        this.options = Objects.requireNonNull(options, "options");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.wallClocks = Objects.requireNonNull(wallClocks, "wallClocks");
        this.sessionIds = Objects.requireNonNull(sessionIds, "sessionIds");
        this.counters = new IngestCounters(clock, settings.rateWindowSeconds());
        this.backoff = new Backoff(settings.backoffMin(), settings.backoffMax());
        this.since = clock.instant();
        this.snapshot = buildStatus();
    }

    public StreamKey key() {
        return key;
    }

    public void addListener(CameraStateListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public void removeListener(CameraStateListener listener) {
        listeners.remove(listener);
    }

    /** The current state, counters included (fps and bitrate computed now). Any thread. */
    public CameraStatus status() {
        CameraStatus s = snapshot;
        return new CameraStatus(s.key(), s.state(), s.lastError(), s.sessionId(), s.since(), counters.frames(),
                counters.bytes(), counters.dropped(), counters.reconnects(), counters.fps(), counters.bitrate(),
                engine.describe());
    }

    public CameraState state() {
        return snapshot.state();
    }

    /** Starts ingesting (asynchronously). No effect unless DISABLED. */
    public Future<?> enable() {
        return executor.submit(() -> {
            synchronized (lock) {
                if (closed || closing) {
                    throw new IllegalStateException(key + " is closed");
                }
                if (state != CameraState.DISABLED) {
                    return;
                }
                backoff.reset();
                connectLocked();
            }
        });
    }

    /** Stops ingesting (asynchronously): tears the pipeline down, cancels retries, state DISABLED. */
    public Future<?> disable() {
        return executor.submit(() -> {
            synchronized (lock) {
                disableLocked();
            }
        });
    }

    /**
     * Disables the stream for good and waits (up to 30 s) for the pipeline to be torn down, unless called from
     * the executor itself. Idempotent.
     */
    @Override
    public void close() {
        Future<?> f = closeAsync();
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("{}: close did not complete cleanly", key, e);
        }
    }

    /**
     * Stops reconnecting at once (a pending retry or a failure after this call never starts a new pipeline), then
     * tears the pipeline down on the executor; the future completes when it is. What a server stopping hundreds
     * of cameras calls on all of them before waiting for any.
     */
    public Future<?> closeAsync() {
        return closeAsync(executor);
    }

    /** {@link #closeAsync()} with the teardown run on {@code teardown} (a pool sized for a mass shutdown). */
    public Future<?> closeAsync(java.util.concurrent.ExecutorService teardown) {
        closing = true;
        listeners.clear();
        return teardown.submit(() -> {
            synchronized (lock) {
                disableLocked();
                closed = true;
            }
        });
    }

    // ---- executor tasks, under lock

    private void connectLocked() {
        pendingConnect = null;
        long sessionId = sessionIds.getAsLong();
        lastSessionId = sessionId;
        attemptStarted = clock.instant();
        streamingSince = null;
        IngestSession p;
        try {
            p = engine.open(key, sessionId, options, sink, new Events(), clock, wallClocks.newSession(), counters);
        } catch (RuntimeException e) {
            log.error("{}: cannot build pipeline", key, e);
            current = null;
            retryLocked(new IngestError(IngestErrorKind.INTERNAL, "cannot build pipeline: " + e, clock.instant()));
            return;
        }
        current = p;
        setStateLocked(CameraState.CONNECTING);
        scheduleWatchdogLocked(sessionId, settings.noDataTimeout());
        p.start();
    }

    private void onFirstFrameLocked(long sessionId) {
        if (!isCurrent(sessionId) || state != CameraState.CONNECTING) {
            return;
        }
        streamingSince = clock.instant();
        setStateLocked(CameraState.STREAMING);
    }

    private void onFailureLocked(long sessionId, IngestError error) {
        if (!isCurrent(sessionId)) {
            return;
        }
        log.info("{} session {}: {}", key, sessionId, error.describe());
        teardownLocked();
        if (closing) {
            lastError = error;
            return;
        }
        counters.reconnected();
        retryLocked(error);
    }

    private void retryLocked(IngestError error) {
        lastError = error;
        if (streamingSince != null
                && Duration.between(streamingSince, clock.instant()).compareTo(settings.stablePeriod()) >= 0) {
            backoff.reset();
        }
        Duration delay = backoff.next();
        setStateLocked(CameraState.RETRYING);
        pendingConnect = executor.schedule(() -> {
            synchronized (lock) {
                if (state == CameraState.RETRYING && !closed && !closing) {
                    connectLocked();
                }
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void watchdogLocked(long sessionId) {
        if (!isCurrent(sessionId)) {
            return;
        }
        long lastFrame = counters.lastFrameMillis();
        long lastActivity = Math.max(attemptStarted.toEpochMilli(), lastFrame);
        long silentMillis = clock.millis() - lastActivity;
        long timeout = settings.noDataTimeout().toMillis();
        if (silentMillis >= timeout) {
            onFailureLocked(sessionId, new IngestError(IngestErrorKind.NO_DATA,
                    lastFrame < attemptStarted.toEpochMilli() ? "no frame within " + timeout + " ms of connecting"
                            : "no frame for " + silentMillis + " ms", clock.instant()));
        } else {
            scheduleWatchdogLocked(sessionId, Duration.ofMillis(timeout - silentMillis));
        }
    }

    private void scheduleWatchdogLocked(long sessionId, Duration delay) {
        watchdog = executor.schedule(() -> {
            synchronized (lock) {
                watchdogLocked(sessionId);
            }
        }, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void disableLocked() {
        if (pendingConnect != null) {
            pendingConnect.cancel(false);
            pendingConnect = null;
        }
        teardownLocked();
        if (state != CameraState.DISABLED) {
            setStateLocked(CameraState.DISABLED);
        }
    }

    private void teardownLocked() {
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
        IngestSession p = current;
        current = null;
        if (p != null) {
            p.stop();
        }
    }

    private boolean isCurrent(long sessionId) {
        return current != null && current.sessionId() == sessionId;
    }

    private void setStateLocked(CameraState next) {
        state = next;
        since = clock.instant();
        snapshot = buildStatus();
        CameraStatus s = status();
        for (CameraStateListener l : listeners) {
            try {
                l.onStateChange(s);
            } catch (RuntimeException e) {
                log.warn("{}: state listener threw", key, e);
            }
        }
    }

    private CameraStatus buildStatus() {
        return new CameraStatus(key, state, lastError, lastSessionId, since, counters.frames(), counters.bytes(),
                counters.dropped(), counters.reconnects(), counters.fps(), counters.bitrate(),
                engine.describe());
    }

    /** Pipeline events, on GStreamer threads: only hand over to the executor. */
    private final class Events implements IngestSession.Events {
        @Override
        public void onFirstFrame(long sessionId) {
            submit(() -> {
                synchronized (lock) {
                    onFirstFrameLocked(sessionId);
                }
            });
        }

        @Override
        public void onFailure(long sessionId, IngestError error) {
            submit(() -> {
                synchronized (lock) {
                    onFailureLocked(sessionId, error);
                }
            });
        }

        private void submit(Runnable task) {
            try {
                executor.execute(task);
            } catch (RuntimeException e) {
                log.warn("{}: executor rejected a pipeline event (shutting down?)", key, e);
            }
        }
    }
}
