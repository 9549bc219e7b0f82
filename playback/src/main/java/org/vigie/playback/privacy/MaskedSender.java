package org.vigie.playback.privacy;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.base.privacy.MaskSet;
import org.vigie.gst.mask.MaskedTranscoder;
import org.vigie.media.Frame;
import org.vigie.media.VideoFormat;

/**
 * The replay of a masked camera, for the RTSP re-stream's archive sessions and the WebSocket's archive channels of
 * clients that do not draw masks: the recorded frames the replay sends pass through a {@link MaskedTranscoder}
 * (masks burned in, {@code zerolatency}) and the encoded ones go on to the {@link Target} with the wall time of the
 * recorded picture. A seek or a gap (a discontinuity), a change of picture format or of masks ({@link #masks})
 * restarts the transcoder at the next key frame (frames before it are dropped: never a picture with the old masks
 * after the change, never a broken picture). Holds one transcoding slot of {@link BurnIn} until {@link #close}.
 *
 * <p>{@link #pending()} tells how many pushed pictures the encoder has not given back yet: a replay that waits while
 * it is above {@link #MAX_PENDING} is paced by the encoder without blocking its executor thread in {@code push}.
 * Thread-safe: {@link #send} on the replay's thread; the {@link Target} is called on the transcoder's own thread.
 *
 * <p>The SDP of a masked replay names the encoder's format before any picture is sent: {@link #format} encodes the
 * first key frame once with the same settings (x264 writes the same parameter sets for the same settings and size).
 */
public final class MaskedSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MaskedSender.class);
    private static final long FRAME_NANOS = 40_000_000L;
    /** Pictures pushed and not yet encoded above which a replay should wait ({@link #pending()}). */
    public static final int MAX_PENDING = 12;

    /** Where encoded frames go, and whether the first one after a restart is a discontinuity. */
    public interface Target {
        void send(Frame frame, boolean discontinuity);
    }

    private volatile MaskSet masks;
    /** Set by {@link #masks}: the next key frame restarts the transcoder with the new masks. */
    private volatile boolean masksChanged;
    private long pushed; // pushed into the current transcoder
    private volatile long delivered; // handed to the target by the current transcoder
    private boolean closed;
    private final BurnIn burnIn;
    private final BurnIn.Slot slot;
    private final Target target;
    private MaskedTranscoder transcoder; // the replay's thread (under its monitor)
    private VideoFormat in;
    private long firstWall;
    private volatile boolean restarted;
    private volatile VideoFormat out;
    private volatile long outFirstWall;

    public MaskedSender(MaskSet masks, BurnIn burnIn, BurnIn.Slot slot, Target target) {
        this.masks = masks;
        this.burnIn = burnIn;
        this.slot = slot;
        this.target = target;
    }

    /**
     * The encoder settings of a masked stream of {@code format}, live or replayed: about 2 Mbit/s for 720p, in
     * proportion; the source's frame rate declared ({@link #frameRate}), so that every picture pushed comes out at
     * once (x264 with a variable rate holds one picture back until the next: a paused replay's step would not show,
     * and a live viewer would be one picture late).
     */
    public static MaskedTranscoder.Settings settings(VideoFormat format) {
        return new MaskedTranscoder.Settings(Math.max(256, Math.min(50_000, format.width() * format.height() / 460)),
                50, true, frameRate(format));
    }

    /** The frame rate assumed when the stream does not declare one. */
    public static final int DEFAULT_FPS = 25;

    /**
     * The source's frame rate, from the timing information of its H.264 SPS (VUI), rounded; {@value #DEFAULT_FPS}
     * when the stream does not declare one (no VUI timing, another codec, a rate beyond 1..120).
     */
    public static int frameRate(VideoFormat format) {
        if (format.codec() != org.vigie.media.Codec.H264) return DEFAULT_FPS;
        try {
            long fps = Math.round(org.vigie.rtsp.codec.AvcConfig.parse(format.decoderConfig()).frameRate());
            return fps >= 1 && fps <= 120 ? (int) fps : DEFAULT_FPS;
        } catch (RuntimeException e) { // a configuration record we cannot read: the encoder still needs a rate
            return DEFAULT_FPS;
        }
    }

    /** The format of the masked stream of {@code keyFrame}'s stream (one picture encoded and dropped). Blocking. */
    public static VideoFormat format(Frame keyFrame, MaskSet masks, BurnIn burnIn) throws InterruptedException {
        Path png = burnIn.maskImage(masks, keyFrame.format().width(), keyFrame.format().height());
        VideoFormat[] f = new VideoFormat[1];
        try (MaskedTranscoder t = MaskedTranscoder.start(keyFrame.format(), png, settings(keyFrame.format()), 0,
                new MaskedTranscoder.Output() {
                    public void format(VideoFormat v) {
                        f[0] = v;
                    }

                    public void frame(byte[] au, long pts, long d, boolean k) {
                    }

                    public void end() {
                    }

                    public void failed(String m) {
                    }
                }, "probe")) {
            t.push(keyFrame.data(), 0, FRAME_NANOS);
            if (!t.finish(20, java.util.concurrent.TimeUnit.SECONDS) || f[0] == null) {
                throw new IllegalStateException("the masked encoder gave no format");
            }
        }
        return f[0];
    }

    /** The masks burned in from the next key frame on (a new version; the slot is kept). */
    public void masks(MaskSet now) {
        if (now.isEmpty()) throw new IllegalArgumentException("no mask to burn in");
        masks = now;
        masksChanged = true;
    }

    /** The masks burned in (or to be, from the next key frame). */
    public MaskSet masks() {
        return masks;
    }

    /** Pictures pushed into the transcoder that it has not encoded yet. */
    public synchronized long pending() {
        return transcoder == null || transcoder.failed() ? 0 : Math.max(0, pushed - delivered);
    }

    /** A recorded frame the replay sends now. */
    public synchronized void send(Frame f, boolean discontinuity) {
        if (closed) return;
        if (transcoder == null || discontinuity || masksChanged || !f.format().equals(in)) {
            if (!f.keyFrame()) {
                if (masksChanged) stop(); // nothing more with the old masks
                return;
            }
            stop();
            masksChanged = false;
            pushed = 0;
            delivered = 0;
            in = f.format();
            firstWall = f.wallMicros();
            outFirstWall = firstWall;
            restarted = true;
            Path png = burnIn.maskImage(masks, in.width(), in.height());
            transcoder = MaskedTranscoder.start(in, png, settings(in), 0, new MaskedTranscoder.Output() {
                public void format(VideoFormat v) {
                    out = v;
                }

                public void frame(byte[] au, long pts, long d, boolean key) {
                    boolean disc = restarted;
                    restarted = false;
                    target.send(new Frame(out, 1, pts * 9 / 100_000, outFirstWall + pts / 1000, key, au), disc);
                    delivered++; // after the target has it: pending() == 0 means every picture was handed on
                }

                public void end() {
                }

                public void failed(String m) {
                    LOG.warn("masked replay failed: {}", m);
                }
            }, "replay");
        }
        pushed++;
        if (!transcoder.push(f.data(), Math.max(0, f.wallMicros() - firstWall) * 1000, FRAME_NANOS)) stop();
    }

    private void stop() {
        if (transcoder != null) {
            slot.framesEncoded(transcoder.framesEncoded());
            transcoder.close();
            transcoder = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        stop();
        slot.close();
    }
}
