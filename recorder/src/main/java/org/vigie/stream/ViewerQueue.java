package org.vigie.stream;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.vigie.media.Frame;

/**
 * The bounded queue between one stream and one live viewer (MediaMTX's {@code stream/reader.go} rule): when it is
 * full the frame is dropped, and so is every frame after it until the next key frame, so that the viewer resumes on
 * a decodable picture; drops are counted. The producer (the ingest thread, through {@link StreamHub}) never blocks.
 *
 * <p>One producer, one consumer. The consumer is told that frames are waiting through {@code onReadable}, called
 * once each time the queue goes from "drained" to "has frames" (not once per frame), typically to schedule a drain
 * on the viewer's event loop; it then calls {@link #poll()} until it returns null.
 */
public final class ViewerQueue {

    private final int capacity;
    private final Runnable onReadable;
    private final ArrayDeque<Frame> frames;
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private boolean waitingForKeyFrame = true; // producer side only
    private boolean started; // producer side only: a key frame was queued (skips before it are not drops)
    private volatile boolean closed;

    public ViewerQueue(int capacity, Runnable onReadable) {
        if (capacity < 2) throw new IllegalArgumentException("capacity must be >= 2: " + capacity);
        this.capacity = capacity;
        this.onReadable = onReadable;
        this.frames = new ArrayDeque<>(Math.min(capacity, 64));
    }

    /** Producer side: offers a frame; never blocks. Returns false when it was dropped. */
    public boolean offer(Frame frame) {
        if (!enqueue(frame)) return false;
        if (signalled.compareAndSet(false, true)) {
            onReadable.run();
        }
        return true;
    }

    /**
     * Queues a frame without signalling: the hub pre-fills a new viewer's queue with the current GOP before the
     * subscriber even holds the queue, so a signal then could run a drain that cannot see it yet and would be lost.
     * The subscriber drains once after subscribing instead (see {@link StreamHub#subscribe}).
     */
    void prefill(Frame frame) {
        enqueue(frame);
    }

    private boolean enqueue(Frame frame) {
        if (closed) return false;
        if (waitingForKeyFrame) {
            if (!frame.keyFrame()) {
                // A new viewer of a stream without a cached GOP waits for its first key frame: nothing it was
                // shown is lost, so only the skips after a start count as drops.
                if (started) dropped.incrementAndGet();
                return false;
            }
            waitingForKeyFrame = false;
            started = true;
        }
        synchronized (frames) {
            if (frames.size() >= capacity) {
                waitingForKeyFrame = true;
                dropped.incrementAndGet();
                return false;
            }
            frames.addLast(frame);
        }
        return true;
    }

    /** Producer side: the stream was interrupted; the viewer resumes on the next key frame of the next session. */
    public void sessionEnded() {
        waitingForKeyFrame = true;
    }

    /**
     * Consumer side: the next frame, or null when drained; after a null, {@code onReadable} is called again when
     * a frame arrives.
     */
    public Frame poll() {
        Frame f;
        synchronized (frames) {
            f = frames.pollFirst();
            if (f == null) {
                signalled.set(false);
            }
        }
        if (f == null) {
            return null; // the next offer signals again (a spurious signal on an empty queue is harmless)
        }
        delivered.incrementAndGet();
        return f;
    }

    public int size() {
        synchronized (frames) {
            return frames.size();
        }
    }

    public long dropped() {
        return dropped.get();
    }

    public long delivered() {
        return delivered.get();
    }

    public boolean isClosed() {
        return closed;
    }

    void close() {
        closed = true;
        synchronized (frames) {
            frames.clear();
        }
    }
}
