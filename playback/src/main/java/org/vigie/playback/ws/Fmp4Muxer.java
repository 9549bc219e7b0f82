package org.vigie.playback.ws;

import java.util.List;
import org.vigie.media.Frame;
import org.vigie.media.VideoFormat;
import org.vigie.recorder.mp4.FragmentWriter;
import org.vigie.recorder.mp4.InitSegmentWriter;
import org.vigie.recorder.mp4.Sample;

/**
 * Turns one channel's frames into fragmented MP4 for a browser's Media Source Extensions: an init segment whenever
 * the {@link VideoFormat} changes (and before the first frame), then one fragment per frame, written by the
 * recorder's own {@link InitSegmentWriter} and {@link FragmentWriter} (no second muxer).
 *
 * <p>The channel has its own decode timeline, which starts at 0 and never goes back. Within a <em>run</em> (frames
 * of one ingest session at one rate, media time moving forward by at most {@link #MAX_STEP_90K} per frame) a frame's
 * decode time is {@code runStartDecode + (media - runStartMedia) / rate}: a rate of 4 compresses the timeline four
 * times, so any MSE client plays a fast archive replay at its normal playback rate. A new run starts at a new
 * session (a reconnection, the next archive segment, a switch from archive to live), at a jump in media time, at a
 * {@link #discontinuity()} (a seek) and at a rate change; it continues one frame interval after the previous frame.
 * A frame's duration is not known until the next frame arrives, so each sample carries the last measured interval
 * (exact for a camera's regular clock) while the next fragment's {@code tfdt} is exact: sending a frame never waits
 * for the next one, the muxer adds no latency.
 *
 * <p>Invariants: decode times strictly increase; the first output carries an init segment. Not thread-safe: one
 * per channel, used by one thread at a time (hand-overs between threads go through an executor, which orders them).
 */
final class Fmp4Muxer {

    /** Largest media-time step taken as continuous (5 s); a bigger jump starts a new run. */
    static final long MAX_STEP_90K = 5L * 90_000;
    /** Frame interval assumed before one is measured (25 fps). */
    static final int DEFAULT_DURATION_90K = 3_600;

    /** What one frame became: an init segment to send first (null when the format is unchanged), then a fragment. */
    record Output(byte[] init, byte[] fragment, long decodeTime90k) {
    }

    private VideoFormat format;
    private double rate = 1.0;
    private boolean newRun = true;
    private long session;
    private long lastMedia;
    private long runMedia;
    private long runDecode;
    private long lastDecode = -1;
    private int lastDuration = DEFAULT_DURATION_90K;
    private int sequence;

    Output mux(Frame f) {
        byte[] init = null;
        if (!f.format().equals(format)) {
            format = f.format();
            init = InitSegmentWriter.write(format);
        }
        long step = f.mediaTime90k() - lastMedia;
        long decode;
        if (!newRun && f.sessionId() == session && step > 0 && step <= MAX_STEP_90K) {
            decode = runDecode + Math.round((f.mediaTime90k() - runMedia) / rate);
            if (decode <= lastDecode) {
                decode = lastDecode + 1;
            }
            lastDuration = (int) (decode - lastDecode);
        } else {
            decode = lastDecode < 0 ? 0 : lastDecode + lastDuration;
            runMedia = f.mediaTime90k();
            runDecode = decode;
            newRun = false;
        }
        session = f.sessionId();
        lastMedia = f.mediaTime90k();
        lastDecode = decode;
        byte[] fragment = FragmentWriter.write(++sequence, f.wallMicros(), decode,
                List.of(new Sample(f.data(), lastDuration, f.keyFrame())));
        return new Output(init, fragment, decode);
    }

    /** Playback rate from the next frame on (1 = real time); the timeline is divided by it. */
    void rate(double rate) {
        if (!(rate > 0)) throw new IllegalArgumentException("rate must be positive: " + rate);
        if (rate != this.rate) {
            this.rate = rate;
            newRun = true;
        }
    }

    /** The next frame does not follow the previous one (a seek): it starts a new run. */
    void discontinuity() {
        newRun = true;
    }

    /** The format of the last init segment, or null before the first frame. */
    VideoFormat format() {
        return format;
    }
}
