package org.vigie.ingest;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.StateChangeReturn;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.glib.Natives;
import org.freedesktop.gstreamer.message.Message;
import org.freedesktop.gstreamer.message.MessageType;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingest session of one camera stream: a GStreamer pipeline
 * {@code rtspsrc ! rtph264depay ! h264parse ! video/x-h264,stream-format=avc,alignment=au ! appsink} (or the
 * H.265 equivalent, chosen from the caps of rtspsrc's pad), delivering {@link Frame}s to a {@link FrameSink}.
 * A pipeline is used once: {@link #start()}, then {@link #stop()}; a reconnection is a new instance with a new
 * session id (the {@link CameraSupervisor} does that).
 *
 * <p>Per-frame path: appsink's C callback table ({@code gst_app_sink_set_callbacks}, {@code emit-signals=false})
 * calls a JNA direct callback, which pulls the sample and reads the buffer through {@link GstDirect}'s direct-mapped
 * functions (no GObject signal marshalling, no gst1-java-core wrapper objects): about one small {@code Pointer} per
 * call and the frame's {@code byte[]} are the only allocations per frame.
 *
 * <p>Threads: the appsink callback runs on GStreamer's streaming thread and never blocks (the sink must not);
 * bus messages arrive on gst1-java-core's single executor thread and are only forwarded to {@link Events}
 * (which must not block either). {@link #stop()} blocks (state change to NULL) and must not be called from those
 * threads. Every exception on a native thread is caught and reported as a failure.
 *
 * <p>Invariants of delivered frames: the first one is a key frame; media time (90 kHz, from the buffer PTS, which
 * GStreamer keeps unwrapped on 64 bits) never decreases (a PTS going back is clamped and counted as dropped
 * monotonicity, see {@link #clampedTimestamps()}); wall time strictly increases; after {@link #stop()} returns
 * no frame is delivered and {@link FrameSink#onSessionEnd} has been called once (if a frame was delivered).
 */
public final class RtspIngestPipeline implements IngestSession {

    private static final Logger log = LoggerFactory.getLogger(RtspIngestPipeline.class);
    private static final Pattern CODEC_DATA = Pattern.compile("codec_data=\\(buffer\\)([0-9a-fA-F]+)");

    /** What the pipeline reports to its owner; called on GStreamer threads: must return quickly. */
    public interface Events {
        /** The first frame of the session was delivered. */
        void onFirstFrame(long sessionId);

        /** The session failed; the owner should {@link #stop()} it (from another thread) and maybe retry. */
        void onFailure(long sessionId, IngestError error);
    }

    private final StreamKey key;
    private final long sessionId;
    private final IngestOptions options;
    private final FrameSink sink;
    private final Events events;
    private final InstantSource clock;
    private final WallClock wallClock;
    private final IngestCounters counters;

    // Strong references to every native object we created: gst1-java-core would otherwise collect them.
    private final Pipeline pipeline;
    private final Element source;
    private final AppSink appSink;
    private final List<Element> dynamicElements = new ArrayList<>();
    private final Bus.MESSAGE busListener = this::onBusMessage;
    // The C callback table handed to appsink and the direct callback it points to: GStreamer copies the table, but
    // the callback's native trampoline lives only as long as this Java object, so both stay reachable from here.
    private final GstDirect.NewSample newSample = this::onNewSample;
    private final Memory appSinkCallbacks = new Memory(GstDirect.APP_SINK_CALLBACKS_SIZE);

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean videoLinked = new AtomicBoolean();
    private volatile boolean delivered;

    // Confined to the streaming thread that runs the appsink callback (then to stop(), once the pipeline is NULL).
    // formatCaps holds a reference (gst_mini_object_ref) so that its address cannot be reused by other caps.
    private Pointer formatCaps;
    private VideoFormat format;
    private long lastMedia90k = Long.MIN_VALUE;
    private long clamped;
    private long ntpFrames;

    public RtspIngestPipeline(StreamKey key, long sessionId, IngestOptions options, FrameSink sink, Events events,
                              InstantSource clock, WallClock wallClock, IngestCounters counters) {
        this.key = Objects.requireNonNull(key, "key");
        this.sessionId = sessionId;
        this.options = Objects.requireNonNull(options, "options");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.counters = Objects.requireNonNull(counters, "counters");
        GstRuntime.ensureInitialized();

        pipeline = new Pipeline("ingest-" + key.cameraId() + "-" + key.stream() + "-" + sessionId);
        source = ElementFactory.make("rtspsrc", "src");
        source.set("location", options.url().toString());
        if (options.user() != null) {
            source.set("user-id", options.user());
            source.set("user-pw", options.password() == null ? "" : options.password());
        }
        source.set("latency", (int) options.latency().toMillis());
        source.set("tcp-timeout", options.tcpTimeout().toNanos() / 1000);
        if (options.referenceTimestamps()) {
            source.set("add-reference-timestamp-meta", true);
        }
        // protocols is a flags property: go through the string deserialiser.
        setFlags(source, "protocols", options.transport().rtspsrcProtocols());
        if (!options.sourceProperties().isEmpty()) {
            List<String> known = source.listPropertyNames();
            options.sourceProperties().forEach((name, value) -> {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("rtspsrc has no property " + name);
                }
                setFlags(source, name, value);
            });
        }

        appSink = (AppSink) ElementFactory.make("appsink", "sink");
        appSink.set("emit-signals", false);
        appSink.set("sync", false);
        appSink.set("max-buffers", options.appSinkMaxBuffers());
        appSink.set("drop", false);
        appSink.set("async", false);
        installAppSinkCallbacks();

        pipeline.addMany(source, appSink);
        source.connect((Element.PAD_ADDED) this::onPadAdded);
        pipeline.getBus().connect(busListener);
    }

    private void installAppSinkCallbacks() {
        GstDirect.checkLayout();
        // Keep the streaming thread attached to the JVM between callbacks (as a daemon): JNA would otherwise attach
        // and detach it, creating a java.lang.Thread, for every frame. JNA detaches it when the native thread exits.
        Native.setCallbackThreadInitializer(newSample, new CallbackThreadInitializer(true, false, "gst-appsink"));
        appSinkCallbacks.clear();
        GstDirect.GLibDirect.g_atomic_pointer_set(appSinkCallbacks.share(GstDirect.APP_SINK_CALLBACKS_NEW_SAMPLE),
                newSample);
        GstDirect.App.gst_app_sink_set_callbacks(Natives.getRawPointer(appSink), appSinkCallbacks, null, null);
    }

    private static void setFlags(Element element, String property, String value) {
        // gst1-java-core has no setter for flags properties: use GStreamer's own string deserialiser (any type).
        GstNative.GST.gst_util_set_object_arg(Natives.getRawPointer(element), property, value);
    }

    @Override
    public long sessionId() {
        return sessionId;
    }

    /** The current value of an rtspsrc property, as gst1-java-core reads it (for tests and diagnostics). */
    Object sourceProperty(String name) {
        return source.get(name);
    }

    /** Timestamps that went backwards and were clamped (B-frames or a broken camera); streaming-thread value. */
    public long clampedTimestamps() {
        return clamped;
    }

    /** Frames that carried an RTCP NTP reference timestamp. */
    public long ntpFrames() {
        return ntpFrames;
    }

    /** Starts connecting; returns at once (the connection happens on rtspsrc's threads). */
    @Override
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a pipeline is started once");
        }
        StateChangeReturn r = pipeline.play();
        if (r == StateChangeReturn.FAILURE) {
            fail(IngestErrorKind.INTERNAL, "pipeline refused to start");
        }
    }

    /**
     * Stops the session: state NULL (joins the streaming threads), releases native objects, then calls
     * {@link FrameSink#onSessionEnd} if the session delivered frames. Idempotent. Blocks: never call it from a
     * GStreamer thread or the bus executor.
     */
    @Override
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            pipeline.getBus().disconnect(busListener);
            pipeline.setState(State.NULL);
        } catch (RuntimeException e) {
            log.warn("{} session {}: error while stopping", key, sessionId, e);
        } finally {
            synchronized (dynamicElements) {
                for (Element e : dynamicElements) {
                    e.dispose();
                }
                dynamicElements.clear();
            }
            appSink.dispose();
            source.dispose();
            pipeline.dispose();
            // The streaming threads were joined by the state change to NULL: the cached caps are ours now.
            if (formatCaps != null) {
                GstDirect.gst_mini_object_unref(formatCaps);
                formatCaps = null;
            }
        }
        if (delivered) {
            try {
                sink.onSessionEnd(sessionId);
            } catch (RuntimeException e) {
                log.warn("{} session {}: sink failed at session end", key, sessionId, e);
            }
        }
    }

    // ---- bus executor thread

    private void onBusMessage(Bus bus, Message message) {
        try {
            if (stopped.get()) {
                return;
            }
            MessageType type = message.getType();
            if (type == MessageType.ERROR) {
                GstNative.ErrorDetails e = GstNative.parseError(Natives.getRawPointer(message));
                IngestErrorKind kind = IngestErrorClassifier.classify(e.domain(), e.code(), e.message(), e.debug());
                fail(kind, e.message() + lastLine(e.debug()));
            } else if (type == MessageType.EOS) {
                fail(IngestErrorKind.END_OF_STREAM, "the camera ended the stream");
            }
        } catch (Throwable t) {
            fail(IngestErrorKind.INTERNAL, "bus handler: " + t);
        }
    }

    private static String lastLine(String debug) {
        if (debug == null || debug.isBlank()) {
            return "";
        }
        String[] lines = debug.strip().split("\n");
        return " (" + lines[lines.length - 1].strip() + ")";
    }

    private void fail(IngestErrorKind kind, String detail) {
        if (stopped.get() || !failed.compareAndSet(false, true)) {
            return;
        }
        try {
            events.onFailure(sessionId, new IngestError(kind, detail, clock.instant()));
        } catch (Throwable t) {
            log.error("{} session {}: failure handler threw", key, sessionId, t);
        }
    }

    // ---- rtspsrc streaming thread

    private void onPadAdded(Element element, Pad pad) {
        try {
            if (stopped.get()) {
                return;
            }
            Caps caps = pad.getCurrentCaps();
            if (caps == null) {
                caps = pad.queryCaps(null);
            }
            Structure s = caps.getStructure(0);
            String media = s.hasField("media") ? s.getString("media") : "";
            String encoding = s.hasField("encoding-name") ? s.getString("encoding-name").toUpperCase(Locale.ROOT) : "";
            if (!"video".equals(media) || !videoLinked.compareAndSet(false, true)) {
                linkToFakeSink(pad);
                return;
            }
            String chain = switch (encoding) {
                case "H264" -> "rtph264depay ! h264parse ! capsfilter caps=\"video/x-h264,stream-format=avc,alignment=au\"";
                case "H265" -> "rtph265depay ! h265parse ! capsfilter caps=\"video/x-h265,stream-format=hvc1,alignment=au\"";
                default -> null;
            };
            if (chain == null) {
                linkToFakeSink(pad);
                fail(IngestErrorKind.UNSUPPORTED_CODEC, "the camera sends " + (encoding.isEmpty() ? "?" : encoding)
                        + "; only H264 and H265 are recorded");
                return;
            }
            Bin depay = Gst.parseBinFromDescription(chain, true);
            synchronized (dynamicElements) {
                dynamicElements.add(depay);
            }
            pipeline.add(depay);
            if (!depay.link(appSink)) {
                fail(IngestErrorKind.INTERNAL, "cannot link " + chain + " to appsink");
                return;
            }
            depay.syncStateWithParent();
            pad.link(depay.getStaticPad("sink"));
        } catch (Throwable t) {
            fail(IngestErrorKind.INTERNAL, "pad-added: " + t);
        }
    }

    private void linkToFakeSink(Pad pad) throws Exception {
        Element fake = ElementFactory.make("fakesink", null);
        fake.set("sync", false);
        fake.set("async", false);
        synchronized (dynamicElements) {
            dynamicElements.add(fake);
        }
        pipeline.add(fake);
        fake.syncStateWithParent();
        pad.link(fake.getStaticPad("sink"));
    }

    // ---- appsink streaming thread

    private int onNewSample(Pointer appSinkPointer, Pointer userData) {
        Pointer sample = null;
        try {
            // Belt and braces with the CallbackThreadInitializer: stay attached after this callback returns.
            Native.detach(false);
            sample = GstDirect.App.gst_app_sink_pull_sample(appSinkPointer);
            if (sample == null || stopped.get()) {
                return GstDirect.FLOW_OK;
            }
            handleSample(sample);
        } catch (Throwable t) {
            counters.frameDropped();
            fail(IngestErrorKind.INTERNAL, "appsink callback: " + t);
        } finally {
            if (sample != null) {
                GstDirect.gst_mini_object_unref(sample);
            }
        }
        return GstDirect.FLOW_OK;
    }

    /** Reads one sample; the buffer and caps are borrowed from the sample, which the caller releases. */
    private void handleSample(Pointer sample) {
        long arrivalMicros = micros(clock);
        Pointer buffer = GstDirect.gst_sample_get_buffer(sample);
        Pointer caps = GstDirect.gst_sample_get_caps(sample);
        if (buffer == null || caps == null) {
            counters.frameDropped();
            return;
        }
        VideoFormat f = formatOf(caps);
        long pts = GstDirect.pts(buffer);
        if (pts < 0) {
            pts = GstDirect.dts(buffer);
        }
        boolean keyFrame = (GstDirect.flags(buffer) & GstDirect.BUFFER_FLAG_DELTA_UNIT) == 0;
        if (f == null || pts < 0 || (!delivered && !keyFrame)) {
            counters.frameDropped();
            return;
        }
        long size = GstDirect.gst_buffer_get_size(buffer);
        if (size < 5 || size > Integer.MAX_VALUE - 16) {
            counters.frameDropped();
            return;
        }
        long media90k = toTicks90k(pts);
        if (media90k < lastMedia90k) {
            clamped++;
            media90k = lastMedia90k;
        }
        lastMedia90k = media90k;
        long ntp = options.referenceTimestamps() ? GstNative.referenceNtpMicros(buffer) : WallClock.NO_NTP;
        if (ntp != WallClock.NO_NTP) {
            ntpFrames++;
        }
        byte[] data = new byte[(int) size];
        if (GstDirect.gst_buffer_extract(buffer, 0, data, size) != size) {
            counters.frameDropped();
            return;
        }
        long wall = wallClock.toWallMicros(media90k, arrivalMicros, ntp);
        Frame frame = new Frame(f, sessionId, media90k, wall, keyFrame, data);
        boolean first = !delivered;
        delivered = true;
        counters.frameDelivered(data.length);
        try {
            sink.onFrame(frame);
        } catch (RuntimeException e) {
            log.warn("{} session {}: frame sink threw", key, sessionId, e);
        }
        if (first) {
            events.onFirstFrame(sessionId);
        }
    }

    /**
     * The VideoFormat of the caps, rebuilt only when the caps object changes; null if no usable caps were seen. The
     * caps in use are kept referenced, so an equal address always means the same (immutable) caps.
     */
    private VideoFormat formatOf(Pointer caps) {
        if (caps.equals(formatCaps) && format != null) {
            return format;
        }
        VideoFormat parsed = parseFormat(GstDirect.capsToString(caps));
        if (formatCaps != null) {
            GstDirect.gst_mini_object_unref(formatCaps);
        }
        formatCaps = GstDirect.gst_mini_object_ref(caps);
        if (parsed != null && !parsed.equals(format)) {
            format = parsed;
        }
        return format;
    }

    /** Parses {@code video/x-h264, ..., width=(int)320, height=(int)240, codec_data=(buffer)01...}. */
    static VideoFormat parseFormat(String caps) {
        Codec codec;
        if (caps.startsWith("video/x-h264")) {
            codec = Codec.H264;
        } else if (caps.startsWith("video/x-h265")) {
            codec = Codec.H265;
        } else {
            return null;
        }
        Matcher cd = CODEC_DATA.matcher(caps);
        Matcher w = Pattern.compile("width=\\(int\\)(\\d+)").matcher(caps);
        Matcher h = Pattern.compile("height=\\(int\\)(\\d+)").matcher(caps);
        if (!cd.find() || !w.find() || !h.find()) {
            return null;
        }
        return new VideoFormat(codec, Integer.parseInt(w.group(1)), Integer.parseInt(h.group(1)),
                HexFormat.of().parseHex(cd.group(1)));
    }

    /** GStreamer nanoseconds to 90 kHz ticks, without overflow for any non-negative PTS. */
    static long toTicks90k(long nanos) {
        return nanos / 100_000 * 9 + (nanos % 100_000) * 9 / 100_000;
    }

    private static long micros(InstantSource clock) {
        java.time.Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }
}
