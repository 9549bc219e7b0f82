package org.vigie.gst.snapshot;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.vigie.gst.ingest.GstRuntime;
import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;

/**
 * Decodes one key frame into a JPEG through GStreamer: {@code appsrc} (caps from the {@link VideoFormat}: AVC or
 * HEVC stream format, the configuration record as {@code codec_data}) → parser → libav decoder →
 * {@code videoconvert} → {@code jpegenc} → {@code appsink}; the frame is pushed, then end-of-stream, so that the
 * decoder drains and gives exactly one picture. One short-lived pipeline per call (a strong reference is held for
 * its whole life and it is set to NULL in {@code finally}).
 *
 * <p>Blocking, and it blocks until the picture is out or the pipeline ends: call it from a bounded executor with a
 * timeout, and {@link Decoding#cancel} it on timeout (which stops the pipeline and unblocks the caller).
 */
public final class KeyFrameDecoder {

    /** Nominal spacing of the pushed access units (their real times do not matter to the decoder). */
    private static final long FRAME_NANOS = 40_000_000L;

    private KeyFrameDecoder() {
    }

    /** A decoding in progress, cancellable from another thread. */
    public static final class Decoding {
        private final Pipeline pipeline;
        private volatile boolean cancelled;

        private Decoding(Pipeline pipeline) {
            this.pipeline = pipeline;
        }

        /** Stops the pipeline: a blocked {@link #jpeg} returns with an exception. */
        public void cancel() {
            cancelled = true;
            pipeline.setState(State.NULL);
        }
    }

    /** Prepares the pipeline of one decoding, without privacy masks. */
    public static Decoding prepare(VideoFormat format, int quality) {
        return prepare(format, quality, null);
    }

    /**
     * Prepares the pipeline of one decoding; with {@code maskPng} (the privacy masks rendered at the picture's size
     * by {@code org.vigie.gst.mask.MaskImages}), {@code gdkpixbufoverlay} burns the masks into the picture before
     * {@code jpegenc}.
     */
    public static Decoding prepare(VideoFormat format, int quality, java.nio.file.Path maskPng) {
        GstRuntime.ensureInitialized();
        if (quality < 1 || quality > 100) throw new IllegalArgumentException("JPEG quality must be 1-100: " + quality);
        String parse = format.codec() == Codec.H264 ? "h264parse" : "h265parse";
        String decode = format.codec() == Codec.H264 ? "avdec_h264" : "avdec_h265";
        String mask = maskPng == null ? "" : " ! gdkpixbufoverlay name=mask ! videoconvert";
        Pipeline p = (Pipeline) Gst.parseLaunch("appsrc name=src format=time ! " + parse + " ! " + decode
                + " ! videoconvert" + mask + " ! jpegenc quality=" + quality + " ! appsink name=sink sync=false");
        if (maskPng != null) p.getElementByName("mask").set("location", maskPng.toString());
        return new Decoding(p);
    }

    /**
     * The JPEG of {@code keyFrame} (one access unit in MP4 sample form, as {@code org.vigie.media.Frame} holds it).
     *
     * @throws IllegalStateException when GStreamer gives no picture (bad data, cancelled)
     */
    public static byte[] jpeg(Decoding d, VideoFormat format, byte[] keyFrame) {
        return jpegOfLast(d, format, List.of(keyFrame));
    }

    /**
     * The JPEG of the last of {@code accessUnits}, a key frame and the frames that follow it in decoding order (so
     * that the exact picture of a moment is given, not only the key frame before it). Every picture is decoded and
     * encoded; all but the last are discarded.
     *
     * @throws IllegalStateException when GStreamer gives no picture (bad data, cancelled)
     */
    public static byte[] jpegOfLast(Decoding d, VideoFormat format, List<byte[]> accessUnits) {
        if (accessUnits.isEmpty()) throw new IllegalArgumentException("no access unit to decode");
        Pipeline p = d.pipeline;
        try {
            AppSrc src = (AppSrc) p.getElementByName("src");
            AppSink sink = (AppSink) p.getElementByName("sink");
            String media = format.codec() == Codec.H264 ? "video/x-h264" : "video/x-h265";
            String streamFormat = format.codec() == Codec.H264 ? "avc" : "hvc1";
            src.setCaps(Caps.fromString(media + ", stream-format=(string)" + streamFormat + ", alignment=(string)au, "
                    + "width=(int)" + format.width() + ", height=(int)" + format.height() + ", framerate=(fraction)0/1, "
                    + "codec_data=(buffer)" + HexFormat.of().formatHex(format.decoderConfig())));
            p.play();
            long pts = 0;
            for (byte[] au : accessUnits) {
                Buffer b = new Buffer(au.length);
                ByteBuffer bb = b.map(true);
                bb.put(au);
                b.unmap();
                b.setPresentationTimestamp(pts);
                b.setDecodeTimestamp(pts);
                b.setDuration(FRAME_NANOS);
                pts += FRAME_NANOS;
                src.pushBuffer(b);
            }
            src.endOfStream();
            byte[] last = null;
            for (int n = 0; n < accessUnits.size(); n++) {
                Sample s = sink.pullSample();
                if (s == null || d.cancelled) break;
                try {
                    Buffer out = s.getBuffer();
                    ByteBuffer data = out.map(false);
                    try {
                        last = new byte[data.remaining()];
                        data.get(last);
                    } finally {
                        out.unmap();
                    }
                } finally {
                    s.dispose();
                }
            }
            if (last == null || d.cancelled) {
                throw new IllegalStateException(d.cancelled ? "snapshot decoding cancelled" : "the decoder gave no picture");
            }
            return last;
        } finally {
            p.setState(State.NULL);
            p.dispose();
        }
    }
}
