package org.vigie.playback.rtsp;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.base.privacy.MaskSet;
import org.vigie.gst.mask.MaskedTranscoder;
import org.vigie.media.Frame;
import org.vigie.media.VideoFormat;
import org.vigie.playback.privacy.BurnIn;

/**
 * The replay of a masked camera: the recorded frames the replay sends pass through a {@link MaskedTranscoder}
 * (masks burned in, {@code zerolatency}) and the encoded ones go on to RTP with the wall time of the recorded
 * picture. A seek or a gap (a discontinuity) or a change of picture format restarts the transcoder at the next key
 * frame. Holds one transcoding slot of {@link BurnIn} until {@link #close}.
 *
 * <p>The SDP of a masked replay names the encoder's format before any picture is sent: {@link #format} encodes the
 * first key frame once with the same settings (x264 writes the same parameter sets for the same settings and size).
 */
final class MaskedSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MaskedSender.class);
    private static final long FRAME_NANOS = 40_000_000L;

    /** Where encoded frames go, and whether the first one after a restart is a discontinuity. */
    interface Target {
        void send(Frame frame, boolean discontinuity);
    }

    private final MaskSet masks;
    private final BurnIn burnIn;
    private final BurnIn.Slot slot;
    private final Target target;
    private MaskedTranscoder transcoder; // the replay's thread (under its monitor)
    private VideoFormat in;
    private long firstWall;
    private volatile boolean restarted;
    private volatile VideoFormat out;
    private volatile long outFirstWall;

    MaskedSender(MaskSet masks, BurnIn burnIn, BurnIn.Slot slot, Target target) {
        this.masks = masks;
        this.burnIn = burnIn;
        this.slot = slot;
        this.target = target;
    }

    /** The encoder settings of a masked replay of {@code format}: about 2 Mbit/s for 720p, in proportion. */
    static MaskedTranscoder.Settings settings(VideoFormat format) {
        return new MaskedTranscoder.Settings(Math.max(256, Math.min(50_000, format.width() * format.height() / 460)),
                50, true);
    }

    /** The format of the masked stream of {@code keyFrame}'s stream (one picture encoded and dropped). Blocking. */
    static VideoFormat format(Frame keyFrame, MaskSet masks, BurnIn burnIn) throws InterruptedException {
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

    /** A recorded frame the replay sends now. */
    void send(Frame f, boolean discontinuity) {
        if (transcoder == null || discontinuity || !f.format().equals(in)) {
            if (!f.keyFrame()) return;
            stop();
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
                }

                public void end() {
                }

                public void failed(String m) {
                    LOG.warn("masked replay failed: {}", m);
                }
            }, "replay");
        }
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
        stop();
        slot.close();
    }
}
