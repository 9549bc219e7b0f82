package org.vigie.playback.ws;

import io.netty.channel.Channel;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.media.Frame;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.FrameCursor;

/**
 * An archive channel: replays recorded frames from the key frame at or before the requested time, paced at real
 * time x rate (1/4 to 16; above {@link #KEY_ONLY_ABOVE} key frames only), with pause, resume, seek and step.
 *
 * <p>All reading happens in {@link #step()} on the endpoint's small archive executor, never on an event loop: it
 * sends the frames that are due, then schedules itself at the next frame's due time. Steps of one channel are
 * serialised by the channel's monitor; control messages (event loop) change fields under the same monitor and
 * {@link #kick()} a step. When the connection is not writable the step stops and {@link #resume()} (on
 * {@code channelWritabilityChanged}) kicks it again: a slow reader slows its own replay, nothing else.
 *
 * <p>Pacing: frame f is due at {@code anchorNanos + (f.wall - anchorWall) / rate}; the anchor is reset at the
 * first frame, after a seek, a rate change, a pause, and across a recording gap (a gap is skipped, not waited
 * for). At the end of what is recorded the channel waits for more (the recording goes on) and sends {@code ended}
 * after {@link #ENDED_AFTER_NANOS} without a new frame; with {@code thenLive} it switches to the camera's live hub
 * instead, keeping its timeline.
 */
final class ArchiveChannel implements ViewChannel {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveChannel.class);

    static final double KEY_ONLY_ABOVE = 4.0;
    static final long ENDED_AFTER_NANOS = 3_000_000_000L;
    static final long END_POLL_MILLIS = 250;
    /** Most frames sent per step before yielding the executor (fairness between channels). */
    static final int BATCH = 16;
    /** A wall-time jump above this between consecutive frames is a recording gap: the replay skips it. */
    static final long GAP_MICROS = 2_000_000;

    private final ChannelOutput out;
    private final ArchiveReader archive;
    private final ScheduledExecutorService executor;
    private final boolean thenLive;
    private final Consumer<ArchiveChannel> switchToLive;

    // Guarded by "this".
    private FrameCursor cursor;
    /** Frames read ahead by a reposition (the key frame at or before the target and what follows it). */
    private final java.util.ArrayDeque<Frame> lookahead = new java.util.ArrayDeque<>();
    private Instant seekTo;
    private Frame next;
    private double rate;
    private boolean paused;
    private int steps;
    private long anchorNanos;
    private long anchorWall = Long.MIN_VALUE;
    private long lastWall = Long.MIN_VALUE;
    private long endSince;
    private boolean ended;
    private boolean closed;
    private ScheduledFuture<?> pending;

    /** @param switchToLive called (on the archive executor) when the live edge is reached and thenLive was asked */
    ArchiveChannel(ChannelOutput out, ArchiveReader archive, ScheduledExecutorService executor, Instant from,
                   double rate, boolean thenLive, Consumer<ArchiveChannel> switchToLive) {
        this.out = out;
        this.archive = archive;
        this.executor = executor;
        this.seekTo = from;
        this.rate = rate;
        this.thenLive = thenLive;
        this.switchToLive = switchToLive;
        out.muxer().rate(rate);
    }

    @Override
    public int id() {
        return out.id();
    }

    @Override
    public org.vigie.media.StreamKey key() {
        return out.key();
    }

    @Override
    public boolean archive() {
        return true;
    }

    ChannelOutput output() {
        return out;
    }

    @Override
    public void start() {
        kick();
    }

    @Override
    public void resume() {
        kick();
    }

    /** Runs a step as soon as possible (replacing a pending delayed one). */
    synchronized void kick() {
        if (closed) return;
        if (pending != null) pending.cancel(false);
        schedule(0);
    }

    private void schedule(long delayNanos) {
        try {
            pending = executor.schedule(this::step, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            closed = true; // the endpoint is shutting down
        }
    }

    @Override
    public synchronized void command(Command c) throws ChannelRefusedException {
        switch (c.op()) {
            case "pause" -> paused = true;
            case "resume" -> {
                paused = false;
                steps = 0;
                anchorWall = Long.MIN_VALUE;
            }
            case "speed" -> {
                rate = c.rate();
                anchorWall = Long.MIN_VALUE;
            }
            case "seek" -> {
                seekTo = c.to();
                next = null;
                ended = false;
                endSince = 0;
            }
            case "step" -> {
                if (!paused) throw new ChannelRefusedException(400, "'step' needs a paused channel");
                steps++;
            }
            default -> throw new ChannelRefusedException(400, "'" + c.op() + "' is not a channel command");
        }
        kick();
    }

    void step() {
        Channel ch = out.channel();
        boolean flush = false;
        synchronized (this) {
            pending = null;
            if (closed) return;
            try {
                if (seekTo != null) {
                    reposition();
                }
                int sent = 0;
                while (true) {
                    if (!ch.isWritable()) break; // resume() kicks again
                    if (paused && steps == 0) break; // resume/step kick again
                    if (next == null) {
                        int r = readNext();
                        if (r == END) {
                            atEnd();
                            break;
                        }
                        if (r == BUDGET_SPENT) {
                            schedule(0);
                            break;
                        }
                    }
                    long now = System.nanoTime();
                    if (paused) {
                        steps--;
                    } else {
                        if (anchorWall == Long.MIN_VALUE || next.wallMicros() < lastWall
                                || next.wallMicros() - lastWall > GAP_MICROS + (long) (1_000_000 * rate)) {
                            anchorWall = next.wallMicros();
                            anchorNanos = now;
                            out.muxer().rate(rate);
                        }
                        long due = anchorNanos + (long) ((next.wallMicros() - anchorWall) * 1000 / rate);
                        if (due > now + 1_000_000) {
                            schedule(due - now);
                            break;
                        }
                    }
                    out.send(next);
                    flush = true;
                    lastWall = next.wallMicros();
                    next = null;
                    if (++sent >= BATCH) {
                        schedule(0);
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("archive replay of {} failed", out.key(), e);
                var ev = out.event("error");
                ev.put("status", 500).put("message", "archive read failed: " + e.getMessage());
                out.write(ev);
                flush = true;
                closeCursor();
                closed = true;
            }
        }
        if (flush) ch.flush();
    }

    private static final int READ = 0;
    private static final int END = 1;
    private static final int BUDGET_SPENT = 2;

    /** Reads the next frame to send into {@link #next}: READ, END of what is recorded so far, or BUDGET_SPENT. */
    private int readNext() {
        boolean keyOnly = rate > KEY_ONLY_ABOVE;
        for (int skipped = 0; skipped < 1_000; skipped++) {
            if (lookahead.isEmpty() && !cursor.hasNext()) return END;
            Frame f = lookahead.isEmpty() ? cursor.next() : lookahead.poll();
            if (!keyOnly || f.keyFrame()) {
                next = f;
                endSince = 0;
                return READ;
            }
        }
        return BUDGET_SPENT; // skipping a very long GOP at high speed: yield, continue in the next step
    }

    private void reposition() throws IOException {
        Instant to = seekTo;
        seekTo = null;
        boolean first = cursor == null;
        closeCursor();
        cursor = archive.framesFrom(out.key(), to);
        // The cursor starts at a fragment; a fragment may hold several GOPs: start at the last key frame <= to.
        lookahead.clear();
        long target = to.getEpochSecond() * 1_000_000L + to.getNano() / 1_000;
        while (cursor.hasNext()) {
            Frame f = cursor.next();
            if (f.wallMicros() > target) {
                lookahead.add(f);
                break;
            }
            if (f.keyFrame()) lookahead.clear();
            if (f.keyFrame() || !lookahead.isEmpty()) lookahead.add(f);
        }
        anchorWall = Long.MIN_VALUE;
        lastWall = Long.MIN_VALUE;
        if (!first) {
            out.muxer().discontinuity();
            var e = out.event("seeked");
            e.put("to", to.toString());
            out.write(e);
        }
    }

    private void atEnd() {
        if (thenLive) {
            closeCursor();
            closed = true;
            switchToLive.accept(this);
            return;
        }
        long now = System.nanoTime();
        if (endSince == 0) endSince = now;
        if (now - endSince >= ENDED_AFTER_NANOS) {
            if (!ended) {
                ended = true;
                var e = out.event("ended");
                if (lastWall != Long.MIN_VALUE) e.put("at", Instant.EPOCH.plus(lastWall, java.time.temporal.ChronoUnit.MICROS).toString());
                out.writeAndFlush(e);
            }
            return; // a seek kicks again
        }
        schedule(TimeUnit.MILLISECONDS.toNanos(END_POLL_MILLIS)); // the recording may go on
    }

    @Override
    public long dropped() {
        return 0;
    }

    @Override
    public long sent() {
        return out.framesSent();
    }

    @Override
    public synchronized void close() {
        if (closed && cursor == null) return;
        closed = true;
        if (pending != null) pending.cancel(false);
        closeCursor();
    }

    private void closeCursor() {
        lookahead.clear();
        if (cursor != null) {
            try {
                cursor.close();
            } catch (IOException e) {
                LOG.debug("closing a cursor: {}", e.toString());
            }
            cursor = null;
        }
    }
}
