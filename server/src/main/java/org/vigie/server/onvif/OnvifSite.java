package org.vigie.server.onvif;

import java.net.SocketException;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.camera.onvif.OnvifDrivers;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.config.DiscoveryConfig;
import org.vigie.server.http.Route;

/**
 * Everything ONVIF in the running server, wired once by {@code VmsServer}: one {@link OnvifDrivers} (one HTTP client
 * for the site), the {@link OnvifCameras} observing the camera registry, the {@link CameraEventWriter} storing their
 * events, the {@link CameraDiscovery} and the API routes.
 *
 * <p>Threads it owns: {@value #BLOCKING_THREADS} "onvif-N" threads for blocking camera exchanges (queue bounded at
 * {@value #BLOCKING_QUEUE} tasks: at most one resolution and one unsubscribe per camera are ever queued), one
 * "onvif-timer" thread for retries and the PullPoint subscriptions' steps, the event writer's thread and the
 * discovery's event loop. {@link #close()} unsubscribes every camera, stores the queued events and stops them all.
 *
 * <p>Must be created before the cameras are put in the registry, so that it sees every camera.
 */
public final class OnvifSite implements AutoCloseable {

    static final int BLOCKING_THREADS = 4;
    static final int BLOCKING_QUEUE = 8192;
    static final int EVENT_QUEUE = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(OnvifSite.class);

    /** The blocking camera exchanges' pool and the timer: started together, stopped together. */
    private record Threads(ThreadPoolExecutor blocking, ScheduledExecutorService timer) {
        static Threads start() {
            AtomicInteger n = new AtomicInteger();
            return new Threads(new ThreadPoolExecutor(BLOCKING_THREADS, BLOCKING_THREADS, 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(BLOCKING_QUEUE), r -> daemon(r, "onvif-" + n.incrementAndGet()),
                    new ThreadPoolExecutor.AbortPolicy()),
                    Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "onvif-timer")));
        }

        /** Stops the timer at once and waits up to 10 s for the running exchanges. */
        void stop() {
            timer.shutdownNow();
            blocking.shutdown();
            try {
                blocking.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static Thread daemon(Runnable r, String name) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }
    }

    private final Threads threads;
    private final CameraEventWriter writer;
    private final OnvifCameras cameras;
    private final CameraDiscovery discovery;
    private final OnvifResource resource;

    private OnvifSite(Threads threads, CameraEventWriter writer, OnvifCameras cameras, CameraDiscovery discovery,
                      OnvifResource resource) {
        this.threads = threads;
        this.writer = writer;
        this.cameras = cameras;
        this.discovery = discovery;
        this.resource = resource;
    }

    public static OnvifSite start(CameraRegistry registry, CameraEventWriter.Store events, AuditLog audit,
                                  DiscoveryConfig discoveryConfig, InstantSource clock, OnvifCameras.Settings settings) {
        return start(registry, events, audit, discoveryConfig, clock, settings,
                org.vigie.server.camera.CameraPlacement.EVERY_CAMERA);
    }

    /** The same, subscribing to the events of the cameras {@code placement} says are recorded here only. */
    public static OnvifSite start(CameraRegistry registry, CameraEventWriter.Store events, AuditLog audit,
                                  DiscoveryConfig discoveryConfig, InstantSource clock, OnvifCameras.Settings settings,
                                  org.vigie.server.camera.CameraPlacement placement) {
        Threads threads = Threads.start();
        CameraEventWriter writer = new CameraEventWriter(events, EVENT_QUEUE);
        OnvifCameras cameras = new OnvifCameras(OnvifDrivers.withDefaults(), registry, writer, threads.blocking(),
                threads.timer(), clock,
                settings, placement);
        registry.observe(cameras);
        CameraDiscovery discovery = null;
        try {
            discovery = CameraDiscovery.open(discoveryConfig);
            LOG.info("ONVIF discovery through interface {}", discovery.interfaceName());
        } catch (SocketException e) {
            LOG.warn("ONVIF discovery off: {}", e.getMessage());
        }
        return new OnvifSite(threads, writer, cameras, discovery,
                new OnvifResource(cameras, discovery, registry, audit));
    }

    public OnvifCameras cameras() {
        return cameras;
    }

    /** What {@code GET /api/v1/cameras/{id}/snapshot.jpg} tries first. */
    public SnapshotSource snapshots() {
        return cameras;
    }

    public List<Route> routes() {
        return OnvifRoutes.routes(resource);
    }

    @Override
    public void close() {
        cameras.close();
        threads.stop();
        writer.close();
        if (discovery != null) {
            discovery.close();
        }
    }
}
