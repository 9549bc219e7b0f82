package org.vigie.playback;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.vigie.gst.snapshot.KeyFrameDecoder;
import org.vigie.base.privacy.MaskSet;
import org.vigie.media.Frame;
import org.vigie.playback.privacy.BurnIn;

/**
 * JPEG snapshots of key frames, privacy masks burned in, decoded through GStreamer ({@link KeyFrameDecoder}) on a bounded pool of
 * {@value #THREADS} threads (queue {@value #QUEUE}: beyond, {@link Busy}) with a timeout after which the decoding
 * is cancelled ({@link TimedOut}). Thread-safe.
 */
public final class SnapshotService implements AutoCloseable {

    static final int THREADS = 2;
    static final int QUEUE = 16;
    static final int QUALITY = 85;

    private final ThreadPoolExecutor executor;
    private final long timeoutMillis;
    private final BurnIn burnIn;

    /** @param burnIn where the mask images of masked cameras come from */
    public SnapshotService(long timeoutMillis, BurnIn burnIn) {
        this.timeoutMillis = timeoutMillis;
        this.burnIn = burnIn;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "snapshot-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Too many snapshots in progress. */
    public static final class Busy extends Exception {
        Busy() {
            super("too many snapshots in progress", null, false, false);
        }
    }

    /** The decoder did not answer in time. */
    public static final class TimedOut extends Exception {
        TimedOut(long ms) {
            super("snapshot not decoded within " + ms + " ms", null, false, false);
        }
    }

    /**
     * The JPEG of a key frame with {@code masks} burned in ({@link MaskSet#NONE}: the picture as recorded). Blocks
     * the caller up to the timeout.
     */
    public byte[] jpeg(Frame keyFrame, MaskSet masks) throws Busy, TimedOut, InterruptedException {
        return jpegOfLast(java.util.List.of(keyFrame), masks);
    }

    /**
     * The JPEG of the last of {@code frames}, which start with a key frame and follow it in order (a GOP up to the
     * wanted picture), with {@code masks} burned in ({@link MaskSet#NONE}: the picture as recorded). Blocks the
     * caller up to the timeout.
     */
    public byte[] jpegOfLast(java.util.List<Frame> frames, MaskSet masks) throws Busy, TimedOut, InterruptedException {
        Frame keyFrame = frames.get(0);
        if (!keyFrame.keyFrame()) throw new IllegalArgumentException("not a key frame: " + keyFrame);
        java.util.List<byte[]> units = frames.stream().map(Frame::data).toList();
        java.nio.file.Path png = masks.isEmpty() ? null
                : burnIn.maskImage(masks, keyFrame.format().width(), keyFrame.format().height());
        KeyFrameDecoder.Decoding d = KeyFrameDecoder.prepare(keyFrame.format(), QUALITY, png);
        Future<byte[]> f;
        try {
            f = executor.submit(() -> KeyFrameDecoder.jpegOfLast(d, keyFrame.format(), units));
        } catch (RejectedExecutionException e) {
            d.cancel();
            throw new Busy();
        }
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            d.cancel();
            f.cancel(true);
            throw new TimedOut(timeoutMillis);
        } catch (ExecutionException e) {
            throw new IllegalStateException("snapshot decoding failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
