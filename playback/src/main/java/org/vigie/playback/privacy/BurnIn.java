package org.vigie.playback.privacy;

import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.vigie.base.privacy.MaskSet;
import org.vigie.gst.mask.MaskImages;

/**
 * What every path out of the server shares to burn privacy masks in: the mask images ({@link MaskImages}), a
 * working folder for masked exports, and the bound on masked transcodings running at once
 * ({@code privacy.max-transcodes}: beyond it, {@link Busy}, which each path turns into its own 503), with the
 * counters the metrics report. Thread-safe.
 */
public final class BurnIn {

    /** The default of {@code privacy.max-transcodes}: a masked 720p25 re-encode takes about a fifth of a core. */
    public static final int DEFAULT_MAX_TRANSCODES = 4;

    private final MaskImages images;
    private final Path workDir;
    private final int maxTranscodes;
    private final Semaphore slots;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();

    /**
     * @param workDir       the server's own folder for masked exports in progress and the mask images
     * @param maxTranscodes masked transcodings at once, >= 1
     */
    public BurnIn(Path workDir, int maxTranscodes) {
        if (maxTranscodes < 1) throw new IllegalArgumentException("privacy.max-transcodes must be >= 1: " + maxTranscodes);
        this.workDir = workDir;
        this.images = new MaskImages(workDir.resolve("masks"));
        this.maxTranscodes = maxTranscodes;
        this.slots = new Semaphore(maxTranscodes);
    }

    /** Every transcoding slot is taken. */
    public static final class Busy extends Exception {
        public Busy(int max) {
            super("too many masked transcodings in progress (privacy.max-transcodes = " + max + "), retry later",
                    null, false, false);
        }
    }

    /** One transcoding's slot; {@link #close} gives it back (once). */
    public final class Slot implements AutoCloseable {
        private boolean closed;

        private Slot() {
        }

        /** Counts pictures this transcoding encoded. */
        public void framesEncoded(long n) {
            frames.addAndGet(n);
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            slots.release();
        }
    }

    /** A slot now, or {@link Busy} (counted as refused). */
    public Slot acquire() throws Busy {
        if (!slots.tryAcquire()) {
            refused.incrementAndGet();
            throw new Busy(maxTranscodes);
        }
        started.incrementAndGet();
        return new Slot();
    }

    /** The PNG of {@code masks} for a picture size. */
    public Path maskImage(MaskSet masks, int width, int height) {
        return images.png(masks, width, height);
    }

    public Path workDir() {
        return workDir;
    }

    public int maxTranscodes() {
        return maxTranscodes;
    }

    /** Masked transcodings running now. */
    public int active() {
        return maxTranscodes - slots.availablePermits();
    }

    /** Masked transcodings refused since start (all slots taken). */
    public long refused() {
        return refused.get();
    }

    /** Masked transcodings started since start. */
    public long started() {
        return started.get();
    }

    /** Pictures encoded by masked transcodings since start. */
    public long framesTranscoded() {
        return frames.get();
    }
}
