package org.vigie.playback.archive;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.vigie.media.Frame;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.FrameCursor;

/**
 * The one archive replay engine, behind both the WebSocket's archive channels and the RTSP re-stream's archive
 * sessions: recorded frames of one stream from the key frame at or before the requested time
 * ({@link KeyFrameSeek}), paced at real time x rate by a {@link ReplayPacer} (or as fast as the viewer reads without
 * rate control), key frames only above {@link #KEY_FRAMES_ONLY_ABOVE}, with pause, step, speed and seek. At the end
 * of what is recorded it asks its {@link Sink} whether to wait for more (the recording goes on); with a range end it
 * stops there.
 *
 * <p>Threading: the archive is read and frames are sent in steps on a small shared scheduled executor, never on an
 * event loop; a step sends the frames that are due (at most {@link #FRAMES_PER_STEP}, for fairness between
 * replays), then schedules itself at the next frame's due time. A viewer that does not read makes the replay wait
 * (polled every {@link #BLOCKED_POLL_MILLIS} ms, or {@link #kick()}ed when its connection is writable again): a slow
 * reader slows its own replay, nothing else; nothing is dropped and nothing grows (at most one GOP plus one frame is
 * held). All state is guarded by the replay's monitor; each scheduled step belongs to one generation, and a pause,
 * seek, speed change or close starts a new one, so a stale step does nothing.
 */
public final class ArchiveReplay {

    /** Slowest and fastest replay speeds. */
    public static final double MIN_RATE = 0.25;
    public static final double MAX_RATE = 16;
    /** Above this speed only key frames are sent (the ONVIF "Frames: intra" behaviour, implied). */
    public static final double KEY_FRAMES_ONLY_ABOVE = 4;
    /**
     * A wall-time jump larger than this (plus one second of replay per unit of rate, so that key frames a GOP apart
     * at high speed are not taken for gaps) between consecutive frames is a recording gap: skipped, not waited for.
     */
    public static final long MAX_GAP_MICROS = 2_000_000;
    static final int FRAMES_PER_STEP = 32;
    /** Frames skipped (key frames only) per step before yielding the executor. */
    static final int SKIPS_PER_STEP = 1_000;
    /** How often the end of what is recorded is polled for new frames. */
    static final long LIVE_EDGE_POLL_MILLIS = 200;
    /** How often a viewer that does not read is polled for writability (besides {@link #kick()}). */
    static final long BLOCKED_POLL_MILLIS = 5;

    /** Where a replay's frames go. Called under the replay's monitor, on the replay executor. */
    public interface Sink {

        /** False while the viewer is not reading fast enough: the replay waits. */
        boolean writable();

        /** Sends one frame, due now; {@code discontinuity} after a gap, a seek or the first frame. */
        void send(Frame frame, boolean discontinuity);

        /** After the frames of a step. */
        void flush();

        /**
         * Nothing recorded after the last frame sent, for {@code idleNanos} now: true to wait for more (polled every
         * {@value ArchiveReplay#LIVE_EDGE_POLL_MILLIS} ms), false to stop until a seek.
         */
        boolean atRecordedEnd(long idleNanos);

        /** A seek asked by {@link #seekLater} was done (not called for the first positioning). */
        void seeked(Instant to);

        /** The replay stopped on an error (reading the archive). */
        void failed(Exception e);
    }

    private static final int READ = 0;
    private static final int END = 1;
    private static final int BUDGET_SPENT = 2;

    private final ArchiveReader reader;
    private final StreamKey key;
    private final Sink sink;
    private final ScheduledExecutorService executor;
    private final LongSupplier nanoTime;

    // Guarded by "this".
    private FrameCursor cursor;
    /** Frames read ahead: the GOP found by a seek, then at most one frame waiting for its time. */
    private final ArrayDeque<Frame> ahead = new ArrayDeque<>();
    private Instant seekTo;
    private long endMicros = Long.MAX_VALUE;
    private ReplayPacer pacer;
    private double rate = 1;
    private boolean rateControl = true;
    private boolean playing;
    private int steps;
    private long idleSince;
    private long generation;
    private boolean closed;
    private ScheduledFuture<?> scheduled;
    private long sent;

    public ArchiveReplay(ArchiveReader reader, StreamKey key, Sink sink, ScheduledExecutorService executor,
                         LongSupplier nanoTime) {
        this.reader = reader;
        this.key = key;
        this.sink = sink;
        this.executor = executor;
        this.nanoTime = nanoTime;
    }

    /** Checks a replay speed: {@link #MIN_RATE} to {@link #MAX_RATE} (reverse replay is not supported). */
    public static boolean validRate(double rate) {
        return rate >= MIN_RATE && rate <= MAX_RATE;
    }

    /**
     * Positions the replay at the key frame at or before {@code start} (or the first recorded key frame when
     * {@code start} precedes the archive), stopping sending first. Blocking file I/O, on the caller's thread.
     *
     * @param end where to stop, or null to follow the recording
     * @return the first frame that will be sent, or null when nothing is recorded from there yet
     */
    public synchronized Frame seek(Instant start, Instant end) throws IOException {
        newGeneration();
        seekTo = null;
        position(start);
        endMicros = end == null ? Long.MAX_VALUE : micros(end);
        playing = false;
        return ahead.peekFirst();
    }

    /**
     * Asks for a seek to {@code to} done on the replay executor (for callers on an event loop); the sink is told
     * {@link Sink#seeked} unless it is the first positioning. Keeps playing or paused as it was.
     */
    public synchronized void seekLater(Instant to) {
        seekTo = to;
        idleSince = 0;
        kickNow();
    }

    /** The next frame to send (after a seek or a pause), or null. */
    public synchronized Frame pending() {
        return ahead.peekFirst();
    }

    /** Starts or resumes sending at {@code rate}, from a fresh anchor; without rate control as fast as read. */
    public synchronized void play(double rate, boolean rateControl) {
        if (!(rate > 0)) throw new IllegalArgumentException("rate must be positive: " + rate);
        this.rate = rate;
        this.rateControl = rateControl;
        this.pacer = null;
        this.playing = true;
        this.steps = 0;
        newGeneration();
        schedule(0);
    }

    /** Changes the speed of a playing or paused replay (re-anchored at the next frame). */
    public synchronized void rate(double rate) {
        if (!(rate > 0)) throw new IllegalArgumentException("rate must be positive: " + rate);
        this.rate = rate;
        this.pacer = null;
        kickNow();
    }

    /** Stops sending; {@link #play} or {@link #step} go on from the same frame. */
    public synchronized void pause() {
        playing = false;
        newGeneration();
    }

    /** Whether the replay is playing (not paused). */
    public synchronized boolean playing() {
        return playing;
    }

    /** Sends the next frame of a paused replay, at once. */
    public synchronized void step() {
        if (playing) throw new IllegalStateException("step needs a paused replay");
        steps++;
        kickNow();
    }

    /**
     * Runs a step as soon as possible: the viewer's connection became writable again. Never blocks (it is called on
     * event loops, while a step may be reading the archive): the step is asked for on the replay executor.
     */
    public void kick() {
        try {
            executor.execute(this::kickNow);
        } catch (RejectedExecutionException e) {
            // the executor is shutting down with its server
        }
    }

    private synchronized void kickNow() {
        if (closed) return;
        newGeneration();
        schedule(0);
    }

    /** Frames sent so far. */
    public synchronized long sent() {
        return sent;
    }

    /** Stops for good and releases the archive cursor. Idempotent. */
    public synchronized void close() {
        closed = true;
        newGeneration();
        closeCursor();
    }

    private void newGeneration() {
        generation++;
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
    }

    private void schedule(long delayNanos) {
        long g = generation;
        try {
            scheduled = executor.schedule(() -> step(g), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            closed = true; // the executor is shutting down with its server
        }
    }

    private synchronized void step(long g) {
        if (g != generation || closed) return;
        scheduled = null;
        boolean wrote = false;
        try {
            if (seekTo != null) {
                Instant to = seekTo;
                seekTo = null;
                boolean first = cursor == null;
                position(to);
                if (!first) sink.seeked(to);
            }
            int n = 0;
            while (true) {
                if (!playing && steps == 0) break; // play or step kicks again
                if (!sink.writable()) {
                    schedule(TimeUnit.MILLISECONDS.toNanos(BLOCKED_POLL_MILLIS));
                    break;
                }
                int r = readAhead();
                if (r == END) {
                    long now = nanoTime.getAsLong();
                    if (idleSince == 0) idleSince = now;
                    if (sink.atRecordedEnd(now - idleSince)) {
                        schedule(TimeUnit.MILLISECONDS.toNanos(LIVE_EDGE_POLL_MILLIS));
                    }
                    break;
                }
                if (r == BUDGET_SPENT) {
                    schedule(0);
                    break;
                }
                Frame next = ahead.peekFirst();
                if (next.wallMicros() >= endMicros) break; // the end of the range: stays there
                boolean discontinuity = false;
                if (playing) {
                    if (pacer == null) pacer = new ReplayPacer(rate, rateControl, MAX_GAP_MICROS + (long) (1e6 * rate));
                    long wait = pacer.delayNanos(next.wallMicros(), nanoTime.getAsLong());
                    if (wait > 0) {
                        schedule(wait);
                        break;
                    }
                    discontinuity = pacer.takeDiscontinuity();
                } else {
                    steps--;
                }
                sink.send(next, discontinuity);
                ahead.pollFirst();
                wrote = true;
                sent++;
                if (++n >= FRAMES_PER_STEP) {
                    schedule(0);
                    break;
                }
            }
        } catch (Throwable e) {
            newGeneration();
            closeCursor();
            closed = true;
            sink.failed(e instanceof Exception x ? x : new RuntimeException(e));
        }
        if (wrote) sink.flush();
    }

    /** Makes the next frame to send the head of {@link #ahead}: READ, END of what is recorded, or BUDGET_SPENT. */
    private int readAhead() {
        if (cursor == null) return END;
        boolean keyOnly = rate > KEY_FRAMES_ONLY_ABOVE;
        for (int skipped = 0; skipped < SKIPS_PER_STEP; skipped++) {
            if (ahead.isEmpty()) {
                if (!cursor.hasNext()) return END;
                ahead.add(cursor.next());
            }
            if (!keyOnly || ahead.peekFirst().keyFrame()) {
                idleSince = 0;
                return READ;
            }
            ahead.pollFirst();
        }
        return BUDGET_SPENT; // skipping a very long GOP at high speed: yield, continue in the next step
    }

    private void position(Instant start) throws IOException {
        closeCursor();
        cursor = reader.framesFrom(key, start);
        ahead.addAll(KeyFrameSeek.gopAt(cursor, start));
        pacer = null;
        idleSince = 0;
    }

    private void closeCursor() {
        ahead.clear();
        if (cursor != null) {
            try {
                cursor.close();
            } catch (IOException e) {
                // a read-only cursor: nothing is lost
            }
            cursor = null;
        }
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }
}
