package org.vigie.server.onvif;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.camera.CameraEvent;

/**
 * Stores the events of every camera's PullPoint subscription: {@link #offer} (called on the subscriptions' executor)
 * only hands the event to a bounded queue; one thread of its own drains the queue into the store (a database
 * insert, which blocks).
 *
 * <p>Invariants: {@link #offer} never blocks and never throws; when the queue is full the event is dropped and
 * counted ({@link #dropped()}); an event the store refuses is logged and counted ({@link #failed()}) and the writer
 * goes on. Every event offered is therefore exactly one of stored, dropped, failed, or still queued.
 * Thread-safe.
 */
public final class CameraEventWriter implements AutoCloseable {

    /** Where events go; {@code EventStore::append} in the server. */
    @FunctionalInterface
    public interface Store {
        void append(CameraEvent event) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(CameraEventWriter.class);
    private static final CameraEvent STOP = new CameraEvent("-", java.time.Instant.EPOCH, "-", CameraEvent.Type.OTHER,
            false, "", "");

    private final Store store;
    private final BlockingQueue<CameraEvent> queue;
    private final Thread thread;
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closed;

    public CameraEventWriter(Store store, int capacity) {
        this.store = Objects.requireNonNull(store, "store");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::drain, "onvif-event-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues an event for storage; false (and counted) when the queue is full or the writer closed. */
    public boolean offer(CameraEvent event) {
        if (closed || !queue.offer(event)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    public long stored() {
        return stored.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long failed() {
        return failed.get();
    }

    private void drain() {
        while (true) {
            CameraEvent e;
            try {
                e = queue.take();
            } catch (InterruptedException ie) {
                return;
            }
            if (e == STOP) {
                return;
            }
            try {
                store.append(e);
                stored.incrementAndGet();
            } catch (Exception ex) {
                failed.incrementAndGet();
                LOG.warn("{}: cannot store event {} at {}: {}", e.cameraId(), e.topic(), e.utcTime(), ex.toString());
            }
        }
    }

    /** Stores what is queued (waiting at most 5 s), then stops the thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(STOP);
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }
}
