package org.vigie.recorder.storage;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;

/**
 * The {@link FrameSink} of one stream: a queue between the ingest thread and the stream's writer thread, bounded
 * in frames, in bytes per stream ({@value #MAX_STREAM_BYTES}) and in bytes across all streams (the shared
 * {@link QueueBudget}). {@link #onFrame} never blocks: when a bound is reached the frame is dropped and counted,
 * and so is every following frame until a key frame fits (a frame without its references is useless); that key
 * frame is marked so the writer starts a new segment (the dropped frames are a gap). Each such overflow is counted
 * ({@link StreamStats#overloads()}) and logged at WARN at most once a minute for the whole recorder.
 *
 * <p>Threads: {@code onFrame}/{@code onSessionEnd} are called by one ingest thread at a time; {@link #drain} only
 * by the writer thread the stream is pinned to.
 */
final class StreamQueue implements FrameSink {

    /** An item of the queue: a frame (possibly the first after drops) or the end of a session. */
    private record Item(Frame frame, boolean afterDrop) {
    }

    private static final Item SESSION_END = new Item(null, false);
    /** Bytes one stream may hold queued: about 25 s of a 4 Mbit/s stream. */
    static final long MAX_STREAM_BYTES = 12L << 20;
    private static final long WARN_INTERVAL_NANOS = 60_000_000_000L;
    private static final AtomicLong LAST_WARN = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StreamQueue.class);
    private static final int DRAIN_BATCH = 64;
    /**
     * Frames that may wait in the queue before the writer thread is woken for them (about half a second at 25 fps).
     * Waking the writer for every frame cost a futex wake on the ingest thread and a context switch on the writer per
     * frame: at 50 cameras, 1,250 of each per second, about half of the server's CPU in the kernel
     * ({@code bin/vms bench ingest}, see docs/performance.md). The writer writes only at fragment boundaries anyway.
     */
    static final int WAKE_FRAMES = 12;
    /** Bytes that may wait in the queue before the writer is woken, whatever their number of frames. */
    static final long WAKE_BYTES = 1L << 20;

    private final StreamRecorder recorder;
    private final WriterThread writer;
    private final ArrayBlockingQueue<Item> queue;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean endPending = new AtomicBoolean();
    private volatile boolean dropping;
    private volatile boolean closed;

    private final QueueBudget budget;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong wakes = new AtomicLong();

    StreamQueue(StreamRecorder recorder, WriterThread writer, int capacity, QueueBudget budget) {
        this.recorder = recorder;
        this.writer = writer;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.budget = budget;
    }

    @Override
    public void onFrame(Frame frame) {
        if (closed || (dropping && !frame.keyFrame())) {
            recorder.counters().framesDropped.incrementAndGet();
            return;
        }
        long cost = cost(frame);
        boolean charged = false;
        if (queuedBytes.get() + cost <= MAX_STREAM_BYTES && (charged = budget.tryCharge(cost))
                && queue.offer(new Item(frame, dropping))) {
            long queued = queuedBytes.addAndGet(cost);
            boolean afterDrop = dropping;
            dropping = false;
            // The writer is woken once frames are worth its while: a key frame (it may close a fragment), the first
            // frame after drops (a new segment), or a batch. Frames left below the batch are written at the next
            // wake or at the session's end (onSessionEnd always wakes it), so none is left behind.
            if (frame.keyFrame() || afterDrop || queue.size() >= WAKE_FRAMES || queued >= WAKE_BYTES) {
                schedule();
            }
            return;
        }
        if (charged) {
            budget.release(cost);
        }
        recorder.counters().framesDropped.incrementAndGet();
        if (!dropping) {
            dropping = true;
            recorder.counters().overloads.incrementAndGet();
            recorder.counters().lastOverloadNanos.set(System.nanoTime());
            warnOverload();
        }
    }

    private void warnOverload() {
        long now = System.nanoTime();
        long last = LAST_WARN.get();
        if (now - last >= WARN_INTERVAL_NANOS && LAST_WARN.compareAndSet(last, now)) {
            LOG.warn("overload: {} cannot keep up ({} frames, {} bytes queued; all streams {} of {} bytes): dropping "
                            + "frames to the next key frame (vms_overload, vms_frames_dropped_total; this warning is "
                            + "given at most once a minute)", recorder.key(), queue.size(), queuedBytes.get(),
                    budget.used(), budget.limit());
        }
    }

    private static long cost(Frame frame) {
        return (long) frame.size() + QueueBudget.FRAME_OVERHEAD;
    }

    /** Whether this stream dropped frames for lack of room within the last minute, or is dropping now. */
    boolean overloaded() {
        return dropping || System.nanoTime() - recorder.counters().lastOverloadNanos.get() < WARN_INTERVAL_NANOS
                && recorder.counters().overloads.get() > 0;
    }

    @Override
    public void onSessionEnd(long sessionId) {
        if (closed) {
            return;
        }
        if (!queue.offer(SESSION_END)) {
            // Queue full: the writer ends the session once it has drained the queue, so the frames held in memory
            // are written even if the camera never comes back.
            endPending.set(true);
        }
        schedule();
    }

    int depth() {
        return queue.size();
    }

    StreamStats stats() {
        return recorder.counters().snapshot(queue.size(), queuedBytes.get(), overloaded());
    }

    void close() {
        closed = true;
    }

    /** Times this stream was handed to its writer thread. */
    long wakes() {
        return wakes.get();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            wakes.incrementAndGet();
            writer.ready(this);
        }
    }

    /**
     * Writer thread: processes up to a batch of items, re-scheduling itself if more remain (fairness), then writes
     * the batch's frames to the segment file ({@link StreamRecorder#flush}).
     */
    void drain() {
        scheduled.set(false);
        for (int i = 0; i < DRAIN_BATCH; i++) {
            Item item = queue.poll();
            if (item == null) {
                recorder.flush();
                if (endPending.getAndSet(false)) {
                    recorder.onSessionEnd();
                }
                return;
            }
            handle(item);
        }
        recorder.flush(); // the batch's frames in one write: no frame is held past a drain
        schedule(); // more may remain: yield to the other streams of this thread
    }

    /** Writer thread, at shutdown: processes everything left, then closes the stream's segment. */
    /**
     * Writes what is queued, then closes the stream's segment. Past {@code deadlineNanos} (a {@link System#nanoTime}
     * value) the frames still queued are dropped and counted instead of written, so that a recorder closing behind
     * an overload ends in bounded time (issue 17); the segment still ends on a whole fragment.
     */
    void drainAllAndClose(long deadlineNanos) {
        Item item;
        while ((item = queue.poll()) != null) {
            if (item != SESSION_END && System.nanoTime() - deadlineNanos > 0) {
                long cost = cost(item.frame());
                queuedBytes.addAndGet(-cost);
                budget.release(cost);
                recorder.counters().framesDropped.incrementAndGet();
                continue;
            }
            handle(item);
        }
        recorder.close();
    }

    private void handle(Item item) {
        if (item == SESSION_END) {
            recorder.onSessionEnd();
        } else {
            long cost = cost(item.frame());
            queuedBytes.addAndGet(-cost);
            budget.release(cost);
            recorder.onFrame(item.frame(), item.afterDrop());
        }
    }
}
