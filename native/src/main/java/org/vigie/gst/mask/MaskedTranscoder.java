package org.vigie.gst.mask;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.BufferFlags;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.PadProbeReturn;
import org.freedesktop.gstreamer.PadProbeType;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.vigie.gst.ingest.GstRuntime;
import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;

/**
 * Burns privacy masks into a video stream: {@code appsrc} (the recorded or live access units, AVC/HEVC in MP4 sample
 * form, the configuration record as {@code codec_data}) → {@code avdec_h264}/{@code avdec_h265} →
 * {@code videoconvert} (I420) → {@code gdkpixbufoverlay} (the mask PNG of {@link MaskImages}, composited in C on
 * every frame) → {@code x264enc} (no B-frames, the source's picture size, the bitrate given) → {@code appsink}
 * (H.264, AVC form, one access unit per buffer).
 *
 * <p>One pipeline per transcoding, held strongly from {@link #start} to {@link #close}. The caller pushes access
 * units ({@link #push}, which blocks when {@value #QUEUE_BYTES} bytes wait: the caller is paced by the encoder);
 * a dedicated thread pulls the encoded ones and hands them to the {@link Output} in order. Pictures that end at or
 * before {@code startNanos} are decoded (later pictures need them) but dropped before the encoder: how an export
 * starts exactly at the asked time although decoding starts on the key frame before it. The drop is a pad probe
 * after the decoder that removes itself at the first picture kept: no Java runs per frame after the start.
 *
 * <p>Invariant: the {@link Output} gets {@link Output#format} before the first frame, then frames in presentation
 * order (no B-frames: decode order is presentation order), then exactly one {@link Output#end} or
 * {@link Output#failed}. Thread-safe for one pushing thread.
 */
public final class MaskedTranscoder implements AutoCloseable {

    /** Bytes of compressed input that may wait in the pipeline before {@link #push} blocks. */
    static final long QUEUE_BYTES = 4L << 20;
    private static final Pattern CODEC_DATA = Pattern.compile("codec_data=\\(buffer\\)([0-9a-fA-F]+)");
    private static final Pattern WIDTH = Pattern.compile("width=\\(int\\)(\\d+)");
    private static final Pattern HEIGHT = Pattern.compile("height=\\(int\\)(\\d+)");

    /** How to encode. */
    /**
     * @param fps the frame rate declared to the encoder, or 0 for a variable rate (x264 then takes each picture's
     *            duration from the next one's time: it holds one picture back until the next arrives, so a paused
     *            replay's last picture would not come out; a declared rate gives every picture out at once, and
     *            the times pass through unchanged either way)
     */
    public record Settings(int bitrateKbps, int keyIntMax, boolean live, int fps) {
        public Settings {
            if (bitrateKbps < 16 || bitrateKbps > 200_000) throw new IllegalArgumentException("bitrate " + bitrateKbps + " kbit/s");
            if (keyIntMax < 1 || keyIntMax > 1000) throw new IllegalArgumentException("key-int-max " + keyIntMax);
            if (fps < 0 || fps > 240) throw new IllegalArgumentException("fps " + fps);
        }

        /** A variable frame rate. */
        public Settings(int bitrateKbps, int keyIntMax, boolean live) {
            this(bitrateKbps, keyIntMax, live, 0);
        }

        /**
         * The bitrate of a source, from its bytes over its duration, with a floor (a masked picture of a quiet
         * scene stays readable) and the source's own rate as the target otherwise.
         */
        public static int matchedKbps(long bytes, long durationNanos) {
            if (durationNanos <= 0) return 2000;
            long kbps = bytes * 8L * 1_000_000L / durationNanos;
            return (int) Math.max(256, Math.min(50_000, kbps));
        }
    }

    /** Where the encoded stream goes; called on the transcoder's own thread. */
    public interface Output {
        /** The encoded stream's format (H.264, the source's size, the avcC of x264); before the first frame. */
        void format(VideoFormat format);

        /** One encoded access unit (AVC form). */
        void frame(byte[] accessUnit, long ptsNanos, long durationNanos, boolean keyFrame);

        /** The stream ended after the last pushed unit. */
        void end();

        /** The pipeline failed; nothing more comes. */
        void failed(String message);
    }

    private final Pipeline pipeline;
    private final AppSrc src;
    private final AppSink sink;
    private final Output output;
    private final Thread puller;
    private volatile String error;
    private volatile boolean closed;
    private volatile long frames; // written by the puller only
    /** Input time of the first picture encoded (x264enc shifts its output times: they are taken relative to it). */
    private volatile long firstShownPts = -1;

    private MaskedTranscoder(Pipeline pipeline, Output output, String name) {
        this.pipeline = pipeline;
        this.src = (AppSrc) pipeline.getElementByName("src");
        this.sink = (AppSink) pipeline.getElementByName("sink");
        this.output = output;
        this.puller = new Thread(this::pull, "masked-transcoder-" + name);
        this.puller.setDaemon(true);
    }

    /**
     * Starts a transcoding of a stream of {@code input} with the masks of {@code maskPng} (the picture's size).
     *
     * @param startNanos pictures ending at or before this time are decoded, not encoded (0: keep them all)
     *
     * @param name names the transcoder's thread (a camera id)
     */
    public static MaskedTranscoder start(VideoFormat input, Path maskPng, Settings settings, long startNanos,
                                         Output output, String name) {
        GstRuntime.ensureInitialized();
        String decode = input.codec() == Codec.H264 ? "avdec_h264" : "avdec_h265";
        String tuning = settings.live() ? " tune=zerolatency" : "";
        // live: slice threads, not frame threads, so the decoder holds no picture back (a paused replay's step
        // gives its picture at once)
        String threads = settings.live() ? " thread-type=slice" : "";
        Pipeline p = (Pipeline) Gst.parseLaunch("appsrc name=src format=time block=true max-bytes=" + QUEUE_BYTES
                + " ! " + decode + " name=dec" + threads + " ! videoconvert ! video/x-raw,format=I420"
                + " ! gdkpixbufoverlay name=mask ! x264enc name=enc speed-preset=superfast bframes=0"
                + " key-int-max=" + settings.keyIntMax() + " bitrate=" + settings.bitrateKbps() + tuning
                + " ! video/x-h264,stream-format=avc,alignment=au ! appsink name=sink sync=false max-buffers=64");
        p.getElementByName("mask").set("location", maskPng.toString());
        MaskedTranscoder t = new MaskedTranscoder(p, output, name);
        String media = input.codec() == Codec.H264 ? "video/x-h264" : "video/x-h265";
        String streamFormat = input.codec() == Codec.H264 ? "avc" : "hvc1";
        t.src.setCaps(Caps.fromString(media + ", stream-format=(string)" + streamFormat + ", alignment=(string)au, "
                + "width=(int)" + input.width() + ", height=(int)" + input.height() + ", framerate=(fraction)" + settings.fps() + "/1, "
                + "codec_data=(buffer)" + HexFormat.of().formatHex(input.decoderConfig())));
        p.getElementByName("dec").getStaticPad("src").addProbe(PadProbeType.BUFFER, (pad, info) -> {
            Buffer b = info.getBuffer();
            long end = b.getPresentationTimestamp() + Math.max(0, b.getDuration());
            if (end <= startNanos) return PadProbeReturn.DROP;
            t.firstShownPts = b.getPresentationTimestamp();
            return PadProbeReturn.REMOVE;
        });
        p.getBus().connect((Bus.ERROR) (source, code, message) -> t.fail(source.getName() + ": " + message));
        p.play();
        t.puller.start();
        return t;
    }

    /**
     * Pushes one access unit (MP4 sample form) at {@code ptsNanos} from the stream's start; blocks while the
     * pipeline's queue is full.
     *
     * @return false when the transcoding failed or was closed (the unit is dropped)
     */
    public boolean push(byte[] accessUnit, long ptsNanos, long durationNanos) {
        if (error != null || closed) return false;
        Buffer b = new Buffer(accessUnit.length);
        ByteBuffer bb = b.map(true);
        bb.put(accessUnit);
        b.unmap();
        b.setPresentationTimestamp(ptsNanos);
        b.setDecodeTimestamp(ptsNanos);
        b.setDuration(durationNanos);
        return src.pushBuffer(b) == FlowReturn.OK;
    }

    /**
     * Ends the input and waits until every picture is encoded and handed to the output.
     *
     * @return true when the output got {@link Output#end}, false on failure or timeout (the pipeline is then stopped)
     */
    public boolean finish(long timeout, TimeUnit unit) throws InterruptedException {
        if (error == null && !closed) src.endOfStream();
        puller.join(unit.toMillis(timeout));
        if (puller.isAlive()) {
            fail("not finished within " + unit.toMillis(timeout) + " ms");
            puller.join(5_000);
            return false;
        }
        return error == null;
    }

    /** The transcoding failed or was closed: nothing more comes out. */
    public boolean failed() {
        return error != null || closed;
    }

    /** Pictures encoded so far. */
    public long framesEncoded() {
        return frames;
    }

    private void pull() {
        VideoFormat format = null;
        String caps = null;
        long firstOutPts = -1;
        try {
            while (true) {
                Sample s = sink.pullSample();
                if (s == null) break;
                try {
                    if (format == null) {
                        caps = s.getCaps().toString();
                        format = formatOf(caps);
                        output.format(format);
                    }
                    Buffer out = s.getBuffer();
                    boolean key = !out.getFlags().contains(BufferFlags.DELTA_UNIT);
                    ByteBuffer data = out.map(false);
                    byte[] au;
                    try {
                        au = new byte[data.remaining()];
                        data.get(au);
                    } finally {
                        out.unmap();
                    }
                    frames++;
                    long pts = out.getPresentationTimestamp();
                    if (firstOutPts < 0) firstOutPts = pts;
                    output.frame(au, Math.max(0, firstShownPts) + pts - firstOutPts, out.getDuration(), key);
                } finally {
                    s.dispose();
                }
            }
            if (error == null && !closed && sink.isEOS()) {
                output.end();
            } else {
                output.failed(error != null ? error : "transcoding stopped");
            }
        } catch (RuntimeException e) {
            fail(e.toString());
            output.failed(e.toString());
        }
    }

    /** The H.264 format of x264's caps: size and the avcC in {@code codec_data}. */
    static VideoFormat formatOf(String caps) {
        Matcher c = CODEC_DATA.matcher(caps);
        Matcher w = WIDTH.matcher(caps);
        Matcher h = HEIGHT.matcher(caps);
        if (!c.find() || !w.find() || !h.find()) throw new IllegalStateException("encoder caps without size or codec_data: " + caps);
        return new VideoFormat(Codec.H264, Integer.parseInt(w.group(1)), Integer.parseInt(h.group(1)),
                HexFormat.of().parseHex(c.group(1)));
    }

    private void fail(String message) {
        if (error != null) return;
        error = message;
        // Never block the bus thread: the pipeline is stopped from a thread of its own, which unblocks push and pull.
        Thread stop = new Thread(() -> pipeline.setState(State.NULL), "masked-transcoder-stop");
        stop.setDaemon(true);
        stop.start();
    }

    /** Stops the pipeline (unblocking a push and the puller) and frees it. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        pipeline.setState(State.NULL);
        try {
            puller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pipeline.dispose();
    }
}
