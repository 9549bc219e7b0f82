package org.vigie.recorder.storage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One disk-writing thread serving the streams pinned to it. Streams with queued frames put themselves (once) in
 * its ready queue, whose length is thus bounded by the number of its streams; the thread drains them in turn.
 * Everything a {@link StreamRecorder} does runs on this thread.
 */
final class WriterThread {

    private static final Logger LOG = LoggerFactory.getLogger(WriterThread.class);

    private final LinkedBlockingQueue<Object> ready = new LinkedBlockingQueue<>();
    private final List<StreamQueue> streams = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final Object stopSignal = new Object();

    WriterThread(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(false);
    }

    void start() {
        thread.start();
    }

    void add(StreamQueue q) {
        streams.add(q);
    }

    void ready(StreamQueue q) {
        ready.add(q);
    }

    private volatile long stopDeadline;
    private volatile boolean stopping;

    /**
     * Asks the thread to finish: it drains every stream (until {@code deadlineNanos}, a {@link System#nanoTime}
     * value; frames still queued then are dropped), closes their segments and exits.
     */
    void stop(long deadlineNanos) {
        stopDeadline = deadlineNanos;
        stopping = true;
        ready.add(stopSignal);
    }

    void join() throws InterruptedException {
        thread.join();
    }

    private void run() {
        try {
            while (true) {
                Object next = ready.take();
                if (next == stopSignal) {
                    break;
                }
                if (stopping && System.nanoTime() - stopDeadline > 0) {
                    break; // stopping, past the deadline: what is still queued is dropped below
                }
                try {
                    ((StreamQueue) next).drain();
                } catch (RuntimeException e) {
                    LOG.error("writer thread {}: unexpected error", thread.getName(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (StreamQueue q : streams) {
            try {
                q.drainAllAndClose(stopDeadline);
            } catch (RuntimeException e) {
                LOG.error("writer thread {}: error closing a stream", thread.getName(), e);
            }
        }
    }
}
