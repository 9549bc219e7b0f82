package org.vigie.server.camera;

import org.vigie.gst.ingest.GstIngestEngine;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.ingest.CameraSupervisor;
import org.vigie.ingest.IngestEngine;
import org.vigie.ingest.IngestOptions;
import org.vigie.ingest.SessionIds;
import org.vigie.ingest.SupervisorSettings;
import org.vigie.ingest.Transport;
import org.vigie.ingest.WallClock;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.time.WallClockMapper;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.config.IngestConfig;
import org.vigie.server.config.LiveConfig;
import org.vigie.ingest.IngestEngines;
import org.vigie.rtsp.client.RtspClient;
import org.vigie.stream.StreamHub;

/**
 * The cameras the server pulls: for each enabled camera, one {@link CameraSupervisor} per recorded stream, feeding
 * the stream's {@link StreamHub}, which forwards every frame to the recorder and to the live viewers. Thread-safe; adding, replacing and removing cameras at run time is how the
 * API changes them.
 *
 * <p>A camera whose {@code url} is not known yet (an ONVIF camera before its streams are resolved) is registered
 * without any supervisor; its {@link Observer} (the ONVIF side) puts it again once resolved.
 */
public final class CameraRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CameraRegistry.class);
    private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(6);
    private static final int TEARDOWN_THREADS = 32;

    private final Recorder recorder;
    private final IngestConfig ingest;
    private final ScheduledExecutorService executor;
    private final InstantSource clock;
    private final SessionIds sessionIds;
    private final CameraPlacement placement;
    private final java.time.Duration gopCacheIdle;
    private final Map<String, Camera> cameras = new LinkedHashMap<>();
    private final List<Observer> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final IngestEngine gstreamer;
    // The Java engine's client, shared by every camera: made on first use (under a supervisor's lock, hence a lock
    // of its own, never the registry's), closed with the registry. Guarded by clientLock.
    private final Object clientLock = new Object();
    private RtspClient rtspClient;

    /**
     * Told about every change, after it is made and while the registry's lock is held (so it sees the changes in
     * order): it must not block and must not call back into the registry from the calling thread.
     */
    public interface Observer {
        void put(CameraConfig config);

        void removed(String id);
    }

    public CameraRegistry(Recorder recorder, IngestConfig ingest, ScheduledExecutorService executor,
                          InstantSource clock, SessionIds sessionIds) {
        this(recorder, ingest, executor, clock, sessionIds, GstIngestEngine.INSTANCE);
    }

    /** @param gstreamer GStreamer's engine (tests inject faults through it) */
    public CameraRegistry(Recorder recorder, IngestConfig ingest, ScheduledExecutorService executor,
                          InstantSource clock, SessionIds sessionIds, IngestEngine gstreamer) {
        this(recorder, ingest, executor, clock, sessionIds, gstreamer, CameraPlacement.EVERY_CAMERA);
    }

    /** @param placement which cameras are pulled here (in a cluster, those assigned to this node) */
    public CameraRegistry(Recorder recorder, IngestConfig ingest, ScheduledExecutorService executor,
                          InstantSource clock, SessionIds sessionIds, IngestEngine gstreamer,
                          CameraPlacement placement) {
        this(recorder, ingest, executor, clock, sessionIds, gstreamer, placement, LiveConfig.DEFAULTS.gopCacheIdle());
    }

    /**
     * @param gopCacheIdle how long a stream's hub keeps its GOP after its last live viewer came or left
     *                     ({@code live.gop-cache-idle}, see {@link StreamHub})
     */
    public CameraRegistry(Recorder recorder, IngestConfig ingest, ScheduledExecutorService executor,
                          InstantSource clock, SessionIds sessionIds, IngestEngine gstreamer,
                          CameraPlacement placement, java.time.Duration gopCacheIdle) {
        this.gopCacheIdle = gopCacheIdle;
        this.placement = placement;
        this.gstreamer = gstreamer;
        this.recorder = recorder;
        this.ingest = ingest;
        this.executor = executor;
        this.clock = clock;
        this.sessionIds = sessionIds;
    }

    /** Registers an observer of later changes. */
    public void observe(Observer observer) {
        observers.add(observer);
    }

    /** Adds a camera, or replaces the camera of the same id (its streams are reconnected). */
    public synchronized Camera put(CameraConfig config) {
        Camera old = cameras.remove(config.id());
        if (old != null) {
            closeQuietly(old);
        }
        Map<String, CameraSupervisor> sups = new LinkedHashMap<>();
        Map<String, StreamHub> hubs = new LinkedHashMap<>();
        boolean here = placement.recordsHere(config.id());
        if (config.enabled() && config.url() != null && here) {
            supervise(config, StreamKey.MAIN, config.url(), sups, hubs);
            if (config.recordSub() && config.subUrl() != null) {
                supervise(config, StreamKey.SUB, config.subUrl(), sups, hubs);
            }
        }
        Camera camera = new Camera(config, sups, hubs);
        cameras.put(config.id(), camera);
        sups.values().forEach(CameraSupervisor::enable);
        LOG.info("camera {} {} ({})", config.id(), !config.enabled() ? "configured, disabled"
                : !here ? "recorded by another node of the cluster"
                : config.url() == null ? "waiting for its ONVIF streams" : "pulled",
                config.url() != null ? config.url() : config.onvif());
        observers.forEach(o -> o.put(config));
        return camera;
    }

    public synchronized boolean remove(String id) {
        Camera c = cameras.remove(id);
        if (c == null) return false;
        closeQuietly(c);
        observers.forEach(o -> o.removed(id));
        return true;
    }

    public synchronized Optional<Camera> get(String id) {
        return Optional.ofNullable(cameras.get(id));
    }

    public synchronized List<Camera> list() {
        return new ArrayList<>(cameras.values());
    }

    private void supervise(CameraConfig c, String stream, java.net.URI url, Map<String, CameraSupervisor> sups,
                           Map<String, StreamHub> hubs) {
        StreamKey key = new StreamKey(c.id(), stream);
        IngestConfig.Transport t = c.transport() != null ? c.transport() : ingest.transport();
        IngestOptions options = IngestOptions.of(url)
                .withCredentials(c.username(), c.password())
                .withTransport(t == IngestConfig.Transport.UDP ? Transport.UDP : Transport.TCP)
                .withLatency(ingest.latency());
        SupervisorSettings settings = SupervisorSettings.defaults()
                .withBackoff(ingest.reconnectMin(), ingest.reconnectMax())
                .withNoDataTimeout(ingest.noDataTimeout());
        WallClock.Factory wallClocks = () -> {
            long notBefore = recorder.catalog().last(key).map(s -> s.endMicros()).orElse(Long.MIN_VALUE);
            WallClockMapper mapper = new WallClockMapper(clock, WallClockMapper.Settings.DEFAULT, notBefore);
            return (media90k, arrivalMicros, ntpMicros) -> ntpMicros == WallClock.NO_NTP
                    ? mapper.wallMicros(media90k)
                    : mapper.wallMicros(media90k, ntpMicros);
        };
        StreamHub hub = new StreamHub(key, recorder.sink(key), clock, gopCacheIdle);
        hubs.put(stream, hub);
        IngestEngines engine = new IngestEngines(c.engine() != null ? c.engine() : ingest.engine(), this::rtspClient,
                IngestEngines.tls(c.tlsCaFile(), c.tlsInsecure()), gstreamer);
        sups.put(stream, new CameraSupervisor(key, options, settings, hub, executor, clock, wallClocks, sessionIds,
                engine));
    }

    private RtspClient rtspClient() {
        synchronized (clientLock) {
            if (rtspClient == null) {
                // Event loops sized to the machine, at most 4: a loop carries hundreds of cameras.
                rtspClient = RtspClient.create(Math.min(4, Runtime.getRuntime().availableProcessors()), clock);
            }
            return rtspClient;
        }
    }

    private static void closeQuietly(Camera c) {
        for (CameraSupervisor s : c.supervisors().values()) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("closing {}: {}", s.key(), e.toString());
            }
        }
    }

    /**
     * Stops every camera: every supervisor stops reconnecting and starts stopping its session at once (the Java
     * engine's sessions close on their event loops without holding a thread; GStreamer's pipelines are torn down on
     * a pool of their own), then all are waited for with one deadline, {@code CLOSE_WAIT} in total (a SIGTERM at
     * 400 cameras must end well within systemd's stop timeout, issue 17). A session late at the deadline delivers
     * no more frames anyway: its flag is set, and the client's event loops are shut down next.
     */
    @Override
    public synchronized void close() {
        long started = System.nanoTime();
        Collection<Camera> all = new ArrayList<>(cameras.values());
        cameras.clear();
        List<java.util.concurrent.CompletableFuture<Void>> pending = new ArrayList<>();
        // GStreamer's teardowns block (state NULL joins the streaming threads): run them on a pool of their own, so
        // that 300 cameras do not wait in line behind the two threads of the ingest executor.
        java.util.concurrent.ExecutorService teardown = java.util.concurrent.Executors.newFixedThreadPool(
                TEARDOWN_THREADS, r -> {
                    Thread t = new Thread(r, "ingest-stop");
                    t.setDaemon(true);
                    return t;
                });
        for (Camera c : all) {
            for (CameraSupervisor s : c.supervisors().values()) {
                try {
                    pending.add(s.closeAsync(teardown));
                } catch (RuntimeException e) {
                    LOG.warn("closing {}: {}", s.key(), e.toString());
                }
            }
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(pending.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(CLOSE_WAIT.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // counted below
        }
        long late = pending.stream().filter(f -> !f.isDone() || f.isCompletedExceptionally()).count();
        teardown.shutdown();
        if (late > 0) {
            LOG.warn("{} camera stream(s) not stopped within {}", late, CLOSE_WAIT);
        }
        LOG.info("{} camera stream(s) stopped in {} ms", pending.size() - late,
                (System.nanoTime() - started) / 1_000_000);
        all.forEach(c -> observers.forEach(o -> o.removed(c.id())));
        synchronized (clientLock) {
            if (rtspClient != null) {
                rtspClient.close();
                rtspClient = null;
            }
        }
    }
}
