package org.vigie.gst.ingest;

import org.vigie.ingest.IngestCounters;
import org.vigie.ingest.IngestError;
import org.vigie.ingest.IngestErrorKind;
import org.vigie.ingest.IngestOptions;
import org.vigie.ingest.IngestSession;
import org.vigie.ingest.Transport;
import org.vigie.ingest.WallClock;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.glib.Natives;
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
 * bus messages arrive on gst1-java-core's single executor thread and are only forwarded to {@link IngestSession.Events}
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
    private static final long POLL_MILLIS = 50;
    private static final long TEARDOWN_WAIT_NANOS = 10_000_000_000L;
    private static final Pattern CODEC_DATA = Pattern.compile("codec_data=\\(buffer\\)([0-9a-fA-F]+)");

    private final StreamKey key;
    private final long sessionId;
    private final IngestOptions options;
    private final FrameSink sink;
    private final IngestSession.Events events;
    private final InstantSource clock;
    private final WallClock wallClock;
    private final IngestCounters counters;

    /**
     * Every pipeline from its construction until its native teardown completed: what native code can call back into
     * (this object's callbacks) stays strongly reachable for exactly as long as GStreamer can reach it, whatever its
     * owner does (a supervisor that drops a pipeline whose stop() failed, an exception half-way through the
     * constructor). JNA holds callbacks only weakly: a collected callback that GStreamer still calls crashes the JVM.
     */
    private static final Set<RtspIngestPipeline> LIVE = ConcurrentHashMap.newKeySet();

    // gst1-java-core wrappers, used on the owner's thread only (construction, properties, dispose). Each also holds
    // one extra native reference (taken below, released last) so that its count never toggles between 1 and 2 while
    // streaming threads ref and unref it: gst1-java-core's toggle-ref callback would run on those threads.
    private final Pipeline pipeline;
    private final Element source;
    private final AppSink appSink;
    private final long pipelinePtr;
    private final long sourcePtr;
    private final long appSinkPtr;
    private final long busPtr;
    // The two native callbacks, direct-mapped with raw addresses only (no Java object to allocate on a streaming
    // thread), held here and this object held in LIVE while GStreamer may call them. The bus has none: see BusPoller.
    private final GstDirect.NewSample newSample = this::onNewSample;
    private final GstDirect.PadAdded padAdded = this::onPadAdded;
    private final Memory appSinkCallbacks = new Memory(GstDirect.APP_SINK_CALLBACKS_SIZE);
    private final Memory noAppSinkCallbacks = new Memory(GstDirect.APP_SINK_CALLBACKS_SIZE);
    private long padAddedHandler;
    private int teardownStep; // guarded by this
    private final Object busLock = new Object();
    private boolean busReleased; // guarded by busLock
    /** What a streaming thread reports when it cannot even allocate its error (OutOfMemoryError). */
    private final IngestError outOfMemory;

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean videoLinked = new AtomicBoolean();
    /** Set once the pipeline reached NULL and every native object was released. */
    private volatile boolean released;
    private volatile boolean delivered;

    // Confined to the streaming thread that runs the appsink callback (then to stop(), once the pipeline is NULL).
    // formatCaps holds a reference (gst_mini_object_ref) so that its address cannot be reused by other caps.
    private long formatCaps;
    private VideoFormat format;
    private long lastMedia90k = Long.MIN_VALUE;
    private long clamped;
    private long ntpFrames;

    public RtspIngestPipeline(StreamKey key, long sessionId, IngestOptions options, FrameSink sink, IngestSession.Events events,
                              InstantSource clock, WallClock wallClock, IngestCounters counters) {
        this.key = Objects.requireNonNull(key, "key");
        this.sessionId = sessionId;
        this.options = Objects.requireNonNull(options, "options");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.outOfMemory = new IngestError(IngestErrorKind.INTERNAL, "out of memory on a streaming thread",
                clock.instant());
        GstRuntime.ensureInitialized();
        GstDirect.checkLayout();

        pipeline = new Pipeline("ingest-" + key.cameraId() + "-" + key.stream() + "-" + sessionId);
        pipelinePtr = Pointer.nativeValue(Natives.getRawPointer(pipeline));
        source = ElementFactory.make("rtspsrc", "src");
        sourcePtr = Pointer.nativeValue(Natives.getRawPointer(source));
        appSink = (AppSink) ElementFactory.make("appsink", "sink");
        appSinkPtr = Pointer.nativeValue(Natives.getRawPointer(appSink));
        GstDirect.Raw.gst_object_ref(pipelinePtr);
        GstDirect.Raw.gst_object_ref(sourcePtr);
        GstDirect.Raw.gst_object_ref(appSinkPtr);
        busPtr = GstDirect.Raw.gst_pipeline_get_bus(pipelinePtr); // a reference, released last
        LIVE.add(this);
        BusPoller.THREAD.getClass(); // started with the first pipeline
        try {
            configure();
        } catch (RuntimeException | Error e) {
            stopped.set(true);
            teardown();
            throw e;
        }
    }

    private void configure() {
        source.set("location", options.url().toString());
        if (options.user() != null) {
            source.set("user-id", options.user());
            source.set("user-pw", options.password() == null ? "" : options.password());
        }
        source.set("latency", (int) options.latency().toMillis());
        source.set("tcp-timeout", options.tcpTimeout().toNanos() / 1000);
        // Overload: never let the jitter buffer hold more than its latency (under CPU starvation it otherwise grows
        // without bound in native memory); late packets are dropped and the depayloader waits for the next key frame.
        source.set("drop-on-latency", true);
        if (options.referenceTimestamps()) {
            source.set("add-reference-timestamp-meta", true);
        }
        // protocols is a flags property: go through the string deserialiser.
        setFlags(source, "protocols", protocols(options.transport()));
        if (!options.sourceProperties().isEmpty()) {
            List<String> known = source.listPropertyNames();
            options.sourceProperties().forEach((name, value) -> {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("rtspsrc has no property " + name);
                }
                setFlags(source, name, value);
            });
        }

        appSink.set("emit-signals", false);
        appSink.set("sync", false);
        appSink.set("max-buffers", options.appSinkMaxBuffers());
        appSink.set("drop", false);
        appSink.set("async", false);
        pipeline.addMany(source, appSink);

        // No bus sync handler: gst1-java-core's would call into Java on every posting thread for every message, and
        // a sync handler that cannot run (a thread that cannot be attached to a full heap) returns garbage to
        // gst_bus_post, which may then wait forever (GST_BUS_ASYNC). Messages queue on the bus instead, and
        // BusPoller, a Java thread, pops the ERROR and EOS ones and discards the rest.
        GstDirect.Raw.gst_bus_set_sync_handler(busPtr, null, 0, 0);
        appSinkCallbacks.clear();
        noAppSinkCallbacks.clear();
        GstDirect.GLibDirect.g_atomic_pointer_set(appSinkCallbacks.share(GstDirect.APP_SINK_CALLBACKS_NEW_SAMPLE),
                newSample);
        GstDirect.RawApp.gst_app_sink_set_callbacks(appSinkPtr, appSinkCallbacks, 0, 0);
        padAddedHandler = GstDirect.RawGObject.g_signal_connect_data(sourcePtr, "pad-added", padAdded, 0, 0, 0);
        if (padAddedHandler == 0) {
            throw new IllegalStateException("cannot connect rtspsrc's pad-added");
        }
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
        if (GstDirect.Raw.gst_element_set_state(pipelinePtr, 4 /* PLAYING */) == GstDirect.STATE_CHANGE_FAILURE) {
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
        teardown();
        if (!released) {
            log.error("{} session {}: the pipeline did not reach NULL; it stays referenced (never freed while "
                    + "GStreamer may still call it)", key, sessionId);
        }
        if (delivered) {
            try {
                sink.onSessionEnd(sessionId);
            } catch (RuntimeException e) {
                log.warn("{} session {}: sink failed at session end", key, sessionId, e);
            }
        }
    }

    /**
     * Ordered teardown, on the owner's thread: state NULL first (joins every streaming thread; the callbacks,
     * which all check {@code stopped}, stop pulling at once), waiting for an asynchronous change to end; only then
     * the callbacks are detached (bus sync handler, pad-added, appsink table), and the native references and
     * wrappers released; only then is this object dropped from {@link #LIVE}. Nothing here allocates before NULL
     * is reached, so a full heap cannot leave a running pipeline unreferenced; if NULL is not reached, or anything
     * later fails, the pipeline stays in LIVE (a leak, never a callback into freed memory).
     */
    private synchronized void teardown() {
        try {
            if (teardownStep == 0) {
                int r = GstDirect.Raw.gst_element_set_state(pipelinePtr, GstDirect.STATE_NULL);
                if (r == GstDirect.STATE_CHANGE_ASYNC) {
                    r = GstDirect.Raw.gst_element_get_state(pipelinePtr, 0, 0, TEARDOWN_WAIT_NANOS);
                }
                if (r == GstDirect.STATE_CHANGE_FAILURE || r == GstDirect.STATE_CHANGE_ASYNC) {
                    return;
                }
                teardownStep = 1;
            }
            // Each step below runs once, even when a retry (stopAll) resumes a teardown that an error interrupted.
            if (teardownStep == 1) {
                if (padAddedHandler != 0) {
                    GstDirect.RawGObject.g_signal_handler_disconnect(sourcePtr, padAddedHandler);
                    padAddedHandler = 0;
                }
                GstDirect.RawApp.gst_app_sink_set_callbacks(appSinkPtr, noAppSinkCallbacks, 0, 0);
                // The streaming threads were joined by the state change to NULL: the cached caps are ours now.
                if (formatCaps != 0) {
                    GstDirect.Raw.gst_mini_object_unref(formatCaps);
                    formatCaps = 0;
                }
                synchronized (busLock) {
                    busReleased = true;
                    GstDirect.Raw.gst_object_unref(busPtr);
                }
                teardownStep = 2;
            }
            if (teardownStep == 2) {
                // Wrappers first (each removes its toggle reference), then our extra references: no toggle
                // notification ever fires, not even here.
                teardownStep = 3; // a wrapper's dispose is not retried: at worst a wrapper leaks
                appSink.dispose();
                source.dispose();
                pipeline.dispose();
            }
            if (teardownStep == 3) {
                teardownStep = 4;
                GstDirect.Raw.gst_object_unref(appSinkPtr);
                GstDirect.Raw.gst_object_unref(sourcePtr);
                GstDirect.Raw.gst_object_unref(pipelinePtr);
            }
            released = true;
            LIVE.remove(this);
        } catch (RuntimeException | Error e) {
            try {
                log.warn("{} session {}: error while stopping (step {})", key, sessionId, teardownStep, e);
            } catch (Throwable ignored) {
                // a full heap: stopAll() will resume
            }
        }
    }

    /**
     * Stops every pipeline still live (the server's last step at shutdown, after the supervisors: none should be
     * left; one whose owner lost it is stopped here rather than left running). Returns how many it stopped.
     */
    public static int stopAll() {
        int n = 0;
        for (RtspIngestPipeline p : List.copyOf(LIVE)) {
            if (!p.stopped.get()) {
                n++;
                p.stop();
            } else {
                p.teardown(); // resumes a teardown that an error interrupted
            }
        }
        return n;
    }

    /** Pipelines whose native side may still call back (tests and diagnostics). */
    static int liveCount() {
        return LIVE.size();
    }

    // ---- BusPoller thread

    /** Pops this pipeline's ERROR and EOS messages (discarding the others); called by {@link BusPoller}. */
    void pollBus() {
        synchronized (busLock) {
            if (busReleased) {
                return;
            }
            long message;
            while ((message = GstDirect.Raw.gst_bus_pop_filtered(busPtr,
                    GstDirect.MESSAGE_ERROR | GstDirect.MESSAGE_EOS)) != 0) {
                try {
                    onBusMessage(message);
                } finally {
                    GstDirect.Raw.gst_mini_object_unref(message);
                }
            }
        }
    }

    private void onBusMessage(long message) {
        try {
            if (stopped.get()) {
                return;
            }
            int type = GstDirect.messageType(message);
            if (type == GstDirect.MESSAGE_ERROR) {
                GstNative.ErrorDetails e = GstNative.parseError(new Pointer(message));
                IngestErrorKind kind = IngestErrorClassifier.classify(e.domain(), e.code(), e.message(), e.debug());
                fail(kind, e.message() + lastLine(e.debug()));
            } else if (type == GstDirect.MESSAGE_EOS) {
                fail(IngestErrorKind.END_OF_STREAM, "the camera ended the stream");
            }
        } catch (Throwable t) {
            failQuietly(t);
        }
    }

    /**
     * The one thread reading the buses of every live pipeline, every {@value #POLL_MILLIS} ms: no GStreamer thread
     * ever calls into Java for a bus message. Started with the first pipeline; a daemon.
     */
    private static final class BusPoller {
        static final Thread THREAD = start();

        private static Thread start() {
            Thread t = new Thread(BusPoller::run, "gst-bus-poller");
            t.setDaemon(true);
            t.start();
            return t;
        }

        private static void run() {
            while (true) {
                try {
                    for (RtspIngestPipeline p : LIVE) {
                        p.pollBus();
                    }
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable t) {
                    // a full heap: try again next round
                }
            }
        }
    }

    private static String lastLine(String debug) {
        if (debug == null || debug.isBlank()) {
            return "";
        }
        String[] lines = debug.strip().split("\n");
        return " (" + lines[lines.length - 1].strip() + ")";
    }

    private void failWithoutMemory() {
        if (!stopped.get() && failed.compareAndSet(false, true)) {
            try {
                events.onFailure(sessionId, outOfMemory);
            } catch (Throwable ignored) {
                // nothing more can be done on this thread; the supervisor's no-data watchdog will catch it
            }
        }
    }

    private void failQuietly(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            // one failure for a full heap, whichever callback met it and whether or not the heap had room again for
            // a message by now: "native callback: java.lang.OutOfMemoryError" told the same thing less plainly
            failWithoutMemory();
            return;
        }
        try {
            fail(IngestErrorKind.INTERNAL, "native callback: " + t);
        } catch (Throwable ignored) {
            failWithoutMemory();
        }
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

    private void onPadAdded(long element, long pad, long userData) {
        try {
            if (stopped.get() || pad == 0) {
                return;
            }
            stayAttached();
            long caps = GstDirect.Raw.gst_pad_get_current_caps(pad);
            if (caps == 0) {
                caps = GstDirect.Raw.gst_pad_query_caps(pad, 0);
            }
            String description = "";
            if (caps != 0) {
                try {
                    description = GstDirect.capsToString(caps);
                } finally {
                    GstDirect.Raw.gst_mini_object_unref(caps);
                }
            }
            String media = field(description, "media");
            String encoding = field(description, "encoding-name").toUpperCase(Locale.ROOT);
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
            long depay = GstDirect.Raw.gst_parse_bin_from_description(chain, true, 0);
            if (depay == 0 || !GstDirect.Raw.gst_bin_add(pipelinePtr, depay)) { // the bin owns it from here
                fail(IngestErrorKind.INTERNAL, "cannot build " + chain);
                return;
            }
            if (!GstDirect.Raw.gst_element_link(depay, appSinkPtr)) {
                fail(IngestErrorKind.INTERNAL, "cannot link " + chain + " to appsink");
                return;
            }
            GstDirect.Raw.gst_element_sync_state_with_parent(depay);
            linkPad(pad, depay);
        } catch (OutOfMemoryError e) {
            failWithoutMemory();
        } catch (Throwable t) {
            failQuietly(t);
        }
    }

    /**
     * Keeps this streaming thread attached to the JVM after the callback returns (JNA would otherwise attach and
     * detach it, creating a java.lang.Thread, for every frame; it detaches it when the native thread exits). Not
     * through a CallbackThreadInitializer: JNA calls that into Java before the callback, outside any handler of ours,
     * and an OutOfMemoryError there aborts the JVM; without one, a thread that cannot be attached (a full heap)
     * only misses that callback.
     */
    private static void stayAttached() {
        Native.detach(false);
    }

    /** The value of a field of serialised caps ({@code media=(string)video}), or "". */
    static String field(String caps, String name) {
        Matcher m = Pattern.compile("(?:^|[ ,;])" + Pattern.quote(name) + "=(?:\\([a-z]+\\))?\"?([^,;\"]*)")
                .matcher(caps);
        return m.find() ? m.group(1).strip() : "";
    }

    private void linkPad(long pad, long element) {
        long sinkPad = GstDirect.Raw.gst_element_get_static_pad(element, "sink");
        if (sinkPad == 0) {
            fail(IngestErrorKind.INTERNAL, "no sink pad to link to");
            return;
        }
        try {
            GstDirect.Raw.gst_pad_link(pad, sinkPad);
        } finally {
            GstDirect.Raw.gst_object_unref(sinkPad);
        }
    }

    private void linkToFakeSink(long pad) {
        long fake = GstDirect.Raw.gst_element_factory_make("fakesink", 0);
        if (fake == 0) {
            return;
        }
        GstDirect.Raw.gst_util_set_object_arg(fake, "sync", "false");
        GstDirect.Raw.gst_util_set_object_arg(fake, "async", "false");
        if (!GstDirect.Raw.gst_bin_add(pipelinePtr, fake)) {
            return;
        }
        GstDirect.Raw.gst_element_sync_state_with_parent(fake);
        linkPad(pad, fake);
    }

    // ---- appsink streaming thread

    private int onNewSample(long appSinkPointer, long userData) {
        if (stopped.get()) {
            // No pull once the teardown began: the pipeline is leaving PLAYING, the flush drops what is queued.
            return GstDirect.FLOW_FLUSHING;
        }
        long sample = 0;
        try {
            stayAttached();
            sample = GstDirect.RawApp.gst_app_sink_pull_sample(appSinkPointer);
            if (sample != 0) {
                handleSample(sample);
            }
        } catch (OutOfMemoryError e) {
            // A full heap: drop this frame (the recorder drops to the next key frame), report once, never throw
            // into JNA's callback glue.
            counters.frameDropped();
            failWithoutMemory();
        } catch (Throwable t) {
            counters.frameDropped();
            failQuietly(t);
        } finally {
            if (sample != 0) {
                GstDirect.Raw.gst_mini_object_unref(sample);
            }
        }
        return GstDirect.FLOW_OK;
    }

    /** Reads one sample; the buffer and caps are borrowed from the sample, which the caller releases. */
    private void handleSample(long sample) {
        long arrivalMicros = micros(clock);
        long buffer = GstDirect.Raw.gst_sample_get_buffer(sample);
        long caps = GstDirect.Raw.gst_sample_get_caps(sample);
        if (buffer == 0 || caps == 0) {
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
        long size = GstDirect.Raw.gst_buffer_get_size(buffer);
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
        if (GstDirect.Raw.gst_buffer_extract(buffer, 0, data, size) != size) {
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
    private VideoFormat formatOf(long caps) {
        if (caps == formatCaps && format != null) {
            return format;
        }
        VideoFormat parsed = parseFormat(GstDirect.capsToString(caps));
        if (formatCaps != 0) {
            GstDirect.Raw.gst_mini_object_unref(formatCaps);
        }
        formatCaps = GstDirect.Raw.gst_mini_object_ref(caps);
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

    /** The value of rtspsrc's {@code protocols} flags property for a transport. */
    static String protocols(Transport transport) {
        return switch (transport) {
            case TCP -> "tcp";
            case UDP -> "udp";
        };
    }
}
