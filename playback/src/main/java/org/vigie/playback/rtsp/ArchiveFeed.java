package org.vigie.playback.rtsp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.media.Frame;
import org.vigie.playback.archive.KeyFrameSeek;
import org.vigie.playback.archive.ReplayPacer;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.FrameCursor;

/**
 * An archive session's feed (ONVIF replay semantics): frames from the key frame at or before the requested time,
 * read from the segment files one fragment at a time on the shared archive executor (never an event loop), paced
 * at real time x {@code Scale} by a {@link ReplayPacer} (or as fast as the client reads with
 * {@code Rate-Control: no}), key frames only above {@link #KEY_FRAMES_ONLY_ABOVE}. At the end of what is recorded it
 * waits for more (the replay follows the recording); with a range end it stops there.
 *
 * <p>A fragment of the archive may hold several GOPs: the seek reads on to the last key frame at or before the
 * requested time ({@link KeyFrameSeek}), so the replay starts less than one GOP before it.
 *
 * <p>Every packet carries the ONVIF replay extension (absolute time), so a client can check where the replay
 * really started. A client that does not read makes the sender wait (nothing is dropped, nothing grows: one frame
 * is held beyond the seek's GOP). Thread-safety: all state is guarded by the feed's monitor; each scheduled step belongs to one
 * {@code generation}, and a pause, seek or close starts a new one, so a stale step does nothing.
 */
final class ArchiveFeed implements Feed {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveFeed.class);

    static final double MIN_SCALE = 0.25;
    static final double MAX_SCALE = 16;
    /** Above this speed only key frames are sent (the ONVIF "Frames: intra" behaviour, implied). */
    static final double KEY_FRAMES_ONLY_ABOVE = 4;
    /** A jump of wall time larger than this between frames is a recording gap: skipped, not waited for. */
    static final long MAX_GAP_MICROS = 2_000_000;
    private static final int FRAMES_PER_STEP = 64;
    private static final long LIVE_EDGE_POLL_MS = 200;
    private static final long BLOCKED_POLL_MS = 5;

    private final ArchiveReader reader;
    private final StreamKey key;
    private final RtpPacketizer rtp;
    private final MediaOutput out;
    private final ScheduledExecutorService executor;
    private final LongSupplier nanoTime;
    private final int timestampBase;

    private FrameCursor cursor;
    /** Frames read ahead: the GOP found by a seek, then at most one frame waiting for its time. */
    private final java.util.ArrayDeque<Frame> pending = new java.util.ArrayDeque<>();
    private long endMicros = Long.MAX_VALUE;
    private ReplayPacer pacer;
    private boolean keyFramesOnly;
    private int cseq;
    private long generation;
    private boolean closed;
    private long sent;

    ArchiveFeed(ArchiveReader reader, StreamKey key, RtpPacketizer rtp, MediaOutput out,
                ScheduledExecutorService executor, LongSupplier nanoTime, int timestampBase) {
        this.reader = reader;
        this.key = key;
        this.rtp = rtp;
        this.out = out;
        this.executor = executor;
        this.nanoTime = nanoTime;
        this.timestampBase = timestampBase;
    }

    /**
     * Positions the replay at the key frame at or before {@code start} (or the first recorded frame when
     * {@code start} precedes the archive), stopping sending first. Blocking file I/O.
     *
     * @param end where to stop, or null to follow the recording
     * @return the first frame that will be sent, or null when nothing is recorded from there yet
     */
    synchronized Frame seek(Instant start, Instant end) throws IOException {
        generation++;
        closeCursor();
        cursor = reader.framesFrom(key, start);
        endMicros = end == null ? Long.MAX_VALUE : Math.addExact(Math.multiplyExact(end.getEpochSecond(), 1_000_000L), end.getNano() / 1000);
        pending.clear();
        pending.addAll(KeyFrameSeek.gopAt(cursor, start));
        pacer = null;
        return pending.peekFirst();
    }

    /** The next frame to send (after a seek or a pause), or null. */
    synchronized Frame pending() {
        return pending.peekFirst();
    }

    /** Starts (or resumes) sending at {@code scale}; {@code cseq} is the PLAY's, echoed in the ONVIF extension. */
    synchronized void play(double scale, boolean rateControl, int cseq) {
        if (closed) return;
        if (cursor == null) throw new IllegalStateException("seek before play");
        this.pacer = new ReplayPacer(scale, rateControl, MAX_GAP_MICROS);
        this.keyFramesOnly = scale > KEY_FRAMES_ONLY_ABOVE;
        this.cseq = cseq;
        long g = ++generation;
        executor.execute(() -> step(g));
    }

    @Override
    public synchronized void pause() {
        generation++;
    }

    @Override
    public void onWritable() {
        // the sender polls writability itself (it sleeps BLOCKED_POLL_MS while the client is not reading)
    }

    @Override
    public long dropped() {
        return 0;
    }

    synchronized long sentFrames() {
        return sent;
    }

    private synchronized void step(long g) {
        if (g != generation || closed) return;
        try {
            int n = 0;
            boolean wrote = false;
            while (n < FRAMES_PER_STEP) {
                if (!out.isWritable()) {
                    reschedule(g, TimeUnit.MILLISECONDS.toNanos(BLOCKED_POLL_MS));
                    break;
                }
                if (pending.isEmpty()) {
                    if (!cursor.hasNext()) {
                        reschedule(g, TimeUnit.MILLISECONDS.toNanos(LIVE_EDGE_POLL_MS));
                        break;
                    }
                    pending.add(cursor.next());
                }
                Frame next = pending.peekFirst();
                if (next.wallMicros() >= endMicros) {
                    LOG.debug("replay of {} reached the end of its range", key);
                    break; // done: stays paused at the end
                }
                if (keyFramesOnly && !next.keyFrame()) {
                    pending.pollFirst();
                    continue;
                }
                long wait = pacer.delayNanos(next.wallMicros(), nanoTime.getAsLong());
                if (wait > 0) {
                    reschedule(g, wait);
                    break;
                }
                boolean discontinuity = pacer.takeDiscontinuity();
                rtp.write(next, RtpPacketizer.timestamp(next.wallMicros(), timestampBase),
                        new RtpPacketizer.Replay(cseq, discontinuity), out);
                wrote = true;
                sent++;
                pending.pollFirst();
                n++;
            }
            if (wrote) out.flush();
            if (n == FRAMES_PER_STEP) executor.execute(() -> step(g));
        } catch (UncheckedIOException | IllegalArgumentException | java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("replay of {} stopped: {}", key, e.toString());
            generation++;
        }
    }

    private void reschedule(long g, long delayNanos) {
        executor.schedule(() -> step(g), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void closeCursor() {
        if (cursor != null) {
            try {
                cursor.close();
            } catch (IOException e) {
                LOG.debug("closing a replay cursor: {}", e.toString());
            }
            cursor = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        generation++;
        closeCursor();
    }
}
