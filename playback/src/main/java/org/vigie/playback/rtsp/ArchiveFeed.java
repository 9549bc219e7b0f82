package org.vigie.playback.rtsp;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.media.Frame;
import org.vigie.media.StreamKey;
import org.vigie.playback.archive.ArchiveReplay;
import org.vigie.playback.privacy.MaskedSender;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.rtsp.server.OnvifReplayExtension;
import org.vigie.rtsp.server.RtpSender;

/**
 * An archive session's feed (ONVIF replay semantics): the {@link ArchiveReplay} engine (from the key frame at or
 * before the requested time, paced at real time x {@code Scale}, or as fast as the client reads with
 * {@code Rate-Control: no}, key frames only above 4) packetized into RTP. At the end of what is recorded it waits
 * for more (the replay follows the recording); with a range end it stops there.
 *
 * <p>Every packet carries the ONVIF replay extension (absolute time, the PLAY's CSeq, the discontinuity flag after a
 * gap or a seek), so a client can check where the replay really started. A client that does not read makes the
 * sender wait: nothing is dropped, nothing grows. Thread-safe: controlled from RTSP worker threads, sent on the
 * archive executor; the replay does its own locking.
 */
final class ArchiveFeed implements Feed {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveFeed.class);

    private final StreamKey key;
    private final RtpSender rtp;
    private final int timestampBase;
    private final ArchiveReplay replay;
    private volatile int cseq;
    private final MaskedSender masked;

    ArchiveFeed(ArchiveReader reader, StreamKey key, RtpSender rtp, ScheduledExecutorService executor,
                LongSupplier nanoTime, int timestampBase) {
        this(reader, key, rtp, executor, nanoTime, timestampBase, null);
    }

    /** @param masked the masked re-encode the frames pass through (a masked camera), or null */
    ArchiveFeed(ArchiveReader reader, StreamKey key, RtpSender rtp, ScheduledExecutorService executor,
                LongSupplier nanoTime, int timestampBase,
                java.util.function.Function<MaskedSender.Target, MaskedSender> masked) {
        this.masked = masked == null ? null : masked.apply(this::sendNow);
        this.key = key;
        this.rtp = rtp;
        this.timestampBase = timestampBase;
        this.replay = new ArchiveReplay(reader, key, new Sink(), executor, nanoTime);
    }

    /**
     * New privacy masks for a masked replay (issue 14): burned in from the replay's next key frame, on the same
     * transcoding slot. False when the replay is not masked or no mask is left (the caller closes the connection).
     */
    boolean masks(org.vigie.base.privacy.MaskSet now) {
        if (masked == null || now.isEmpty()) return false;
        masked.masks(now);
        return true;
    }

    /** The replay's frames as RTP into the session's output. */
    private final class Sink implements ArchiveReplay.Sink {
        @Override
        public boolean writable() {
            // a masked replay waits while the encoder lags (never blocking the replay executor in the encoder's push)
            return rtp.isWritable() && (masked == null || masked.pending() < MaskedSender.MAX_PENDING);
        }

        @Override
        public void send(Frame frame, boolean discontinuity) {
            if (masked != null) {
                masked.send(frame, discontinuity);
                return;
            }
            sendNow(frame, discontinuity);
        }

        @Override
        public void flush() {
            // each access unit is flushed as it is sent
        }

        @Override
        public boolean atRecordedEnd(long idleNanos) {
            return true; // the replay follows the recording
        }

        @Override
        public void seeked(Instant to) {
            // RTSP seeks with a PLAY and its Range, answered from seek()
        }

        @Override
        public void failed(Exception e) {
            LOG.warn("replay of {} stopped: {}", key, e.toString());
        }
    }

    /** One frame as RTP, with the ONVIF replay extension. */
    private void sendNow(Frame frame, boolean discontinuity) {
        rtp.sendFrame(frame, RtpSender.timestamp(frame.wallMicros(), timestampBase),
                new OnvifReplayExtension(frame.wallMicros(), frame.keyFrame(), discontinuity, cseq));
    }

    /**
     * Positions the replay at the key frame at or before {@code start} (or the first recorded frame when
     * {@code start} precedes the archive), stopping sending first. Blocking file I/O.
     *
     * @param end where to stop, or null to follow the recording
     * @return the first frame that will be sent, or null when nothing is recorded from there yet
     */
    Frame seek(Instant start, Instant end) throws IOException {
        return replay.seek(start, end);
    }

    /** The next frame to send (after a seek or a pause), or null. */
    Frame pending() {
        return replay.pending();
    }

    /** Starts (or resumes) sending at {@code scale}; {@code cseq} is the PLAY's, echoed in the ONVIF extension. */
    void play(double scale, boolean rateControl, int cseq) {
        this.cseq = cseq;
        replay.play(scale, rateControl);
    }

    @Override
    public void pause() {
        replay.pause();
    }

    @Override
    public void onWritable() {
        replay.kick();
    }

    @Override
    public long dropped() {
        return 0;
    }

    long sentFrames() {
        return replay.sent();
    }

    @Override
    public void close() {
        replay.close();
        if (masked != null) masked.close();
    }
}
