package org.vigie.recorder.storage;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;

/**
 * The {@link FrameSink} of one stream: a bounded queue between the ingest thread and the stream's writer thread.
 * {@link #onFrame} never blocks: when the queue is full the frame is dropped and counted, and so is every following
 * frame until a key frame fits in the queue (a frame without its references is useless); that key frame is marked
 * so the writer starts a new segment (the dropped frames are a gap).
 *
 * <p>Threads: {@code onFrame}/{@code onSessionEnd} are called by one ingest thread at a time; {@link #drain} only
 * by the writer thread the stream is pinned to.
 */
final class StreamQueue implements FrameSink {

    /** An item of the queue: a frame (possibly the first after drops) or the end of a session. */
    private record Item(Frame frame, boolean afterDrop) {
    }

    private static final Item SESSION_END = new Item(null, false);
    private static final int DRAIN_BATCH = 64;

    private final StreamRecorder recorder;
    private final WriterThread writer;
    private final ArrayBlockingQueue<Item> queue;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean endPending = new AtomicBoolean();
    private volatile boolean dropping;
    private volatile boolean closed;

    StreamQueue(StreamRecorder recorder, WriterThread writer, int capacity) {
        this.recorder = recorder;
        this.writer = writer;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void onFrame(Frame frame) {
        if (closed || (dropping && !frame.keyFrame())) {
            recorder.counters().framesDropped.incrementAndGet();
            return;
        }
        if (queue.offer(new Item(frame, dropping))) {
            dropping = false;
            schedule();
        } else {
            dropping = true;
            recorder.counters().framesDropped.incrementAndGet();
        }
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
        return recorder.counters().snapshot(queue.size());
    }

    void close() {
        closed = true;
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            writer.ready(this);
        }
    }

    /** Writer thread: processes up to a batch of items, re-scheduling itself if more remain (fairness). */
    void drain() {
        scheduled.set(false);
        for (int i = 0; i < DRAIN_BATCH; i++) {
            Item item = queue.poll();
            if (item == null) {
                if (endPending.getAndSet(false)) {
                    recorder.onSessionEnd();
                }
                return;
            }
            handle(item);
        }
        schedule(); // more may remain: yield to the other streams of this thread
    }

    /** Writer thread, at shutdown: processes everything left, then closes the stream's segment. */
    void drainAllAndClose() {
        Item item;
        while ((item = queue.poll()) != null) {
            handle(item);
        }
        recorder.close();
    }

    private void handle(Item item) {
        if (item == SESSION_END) {
            recorder.onSessionEnd();
        } else {
            recorder.onFrame(item.frame(), item.afterDrop());
        }
    }
}
