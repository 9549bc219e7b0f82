package org.vigie.recorder.storage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of frames that all streams together may hold in their queues between ingest and the writer threads:
 * the heap is never filled with queued frames (a full heap is what made the server crash under overload, issue 17).
 * A frame is charged its payload plus {@link #FRAME_OVERHEAD} when queued and released when written.
 *
 * <p>Invariant: {@link #used()} never exceeds {@link #limit()}. Thread-safe, lock-free.
 */
public final class QueueBudget {

    /** Object headers and the queue node of one frame, about. */
    static final int FRAME_OVERHEAD = 96;

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public QueueBudget(long limit) {
        if (limit < 1 << 20) {
            throw new IllegalArgumentException("queue budget must be at least 1 MiB: " + limit);
        }
        this.limit = limit;
    }

    /**
     * A quarter of the maximum heap (at least 16 MiB): what the queues may take, leaving the rest to the open
     * fragments, the viewers, the API and the garbage collector's headroom.
     */
    public static QueueBudget ofHeap(long maxHeapBytes) {
        return new QueueBudget(Math.max(16L << 20, maxHeapBytes / 4));
    }

    /** Charges {@code bytes} if they fit; false (and nothing charged) otherwise. */
    boolean tryCharge(long bytes) {
        while (true) {
            long u = used.get();
            if (u + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(u, u + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }
}
