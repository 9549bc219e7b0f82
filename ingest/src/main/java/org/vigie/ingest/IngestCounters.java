package org.vigie.ingest;

import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one camera stream, across sessions: frames and bytes delivered, frames dropped, reconnects, and the
 * frame rate and bit rate over a sliding window of whole seconds.
 *
 * <p>Thread-safety: written by the streaming thread of the current session (frames) and by the supervisor
 * (reconnects); read from any thread. The sliding window is guarded by its own monitor (uncontended on the
 * per-frame path: one writer).
 */
public final class IngestCounters {

    private final InstantSource clock;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile long lastFrameMillis = Long.MIN_VALUE;

    private final int windowSeconds;
    /** Ring of per-second buckets, index = second % windowSeconds; {@code bucketSecond} says which second. */
    private final long[] bucketSecond;
    private final long[] bucketFrames;
    private final long[] bucketBytes;

    public IngestCounters(InstantSource clock, int windowSeconds) {
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("windowSeconds must be >= 1");
        }
        this.clock = clock;
        this.windowSeconds = windowSeconds;
        this.bucketSecond = new long[windowSeconds + 1];
        this.bucketFrames = new long[windowSeconds + 1];
        this.bucketBytes = new long[windowSeconds + 1];
        java.util.Arrays.fill(bucketSecond, Long.MIN_VALUE);
    }

    /** Records a delivered frame (streaming thread). */
    public void frameDelivered(int size) {
        long now = clock.millis();
        frames.incrementAndGet();
        bytes.addAndGet(size);
        lastFrameMillis = now;
        long second = Math.floorDiv(now, 1000);
        synchronized (bucketSecond) {
            int i = (int) Math.floorMod(second, (long) bucketSecond.length);
            if (bucketSecond[i] != second) {
                bucketSecond[i] = second;
                bucketFrames[i] = 0;
                bucketBytes[i] = 0;
            }
            bucketFrames[i]++;
            bucketBytes[i] += size;
        }
    }

    public void frameDropped() {
        dropped.incrementAndGet();
    }

    public void reconnected() {
        reconnects.incrementAndGet();
    }

    public long frames() {
        return frames.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    /** Epoch ms of the last delivered frame, or {@link Long#MIN_VALUE}. */
    public long lastFrameMillis() {
        return lastFrameMillis;
    }

    /** Frames per second over the last {@code windowSeconds} complete seconds. */
    public double fps() {
        return sum(true) / (double) windowSeconds;
    }

    /** Bits per second over the last {@code windowSeconds} complete seconds. */
    public double bitrate() {
        return sum(false) * 8.0 / windowSeconds;
    }

    private long sum(boolean countFrames) {
        long current = Math.floorDiv(clock.millis(), 1000);
        long total = 0;
        synchronized (bucketSecond) {
            for (int i = 0; i < bucketSecond.length; i++) {
                long s = bucketSecond[i];
                if (s < current && s >= current - windowSeconds) {
                    total += countFrames ? bucketFrames[i] : bucketBytes[i];
                }
            }
        }
        return total;
    }
}
