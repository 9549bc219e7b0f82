package org.vigie.server.onvif;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.base.Backoff;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.CameraEvent;
import org.vigie.camera.CameraEventListener;
import org.vigie.camera.CameraStreams;
import org.vigie.camera.Credentials;
import org.vigie.camera.onvif.OnvifCameraDriver;
import org.vigie.camera.onvif.OnvifDrivers;
import org.vigie.camera.onvif.PullPointSubscription;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.config.CameraConfig;

/**
 * The ONVIF side of the server's cameras. For every enabled camera whose configuration names an ONVIF device service
 * ({@code onvif:}), it connects a driver (clock offset learnt), reads the main and sub streams, fills the camera's
 * {@code url}/{@code sub-url} when they were not given and puts the camera again in the {@link CameraRegistry}
 * (which then starts its supervisors), then keeps a PullPoint event subscription whose events are stored through
 * the {@link CameraEventWriter}. While the camera is unreachable, refuses the credentials or answers nonsense, the
 * attempt is repeated after a backoff doubling from {@link Settings#retryMin()} to {@link Settings#retryMax()}, and
 * the failure is visible in {@link #status}. Removing or replacing a camera closes its subscription
 * ({@code Unsubscribe}).
 *
 * <p>A camera that gives {@code url} itself is pulled from that URL at once; ONVIF then serves its events, PTZ and
 * snapshots only.
 *
 * <p>Threads: {@link CameraRegistry.Observer} calls arrive under the registry's lock and only schedule work.
 * Blocking ONVIF exchanges (connect, profiles, stream URIs, unsubscribe) run on the injected {@code blocking}
 * executor (bounded pool); timers and the subscriptions' steps run on the {@code scheduler}. Lock order: the
 * registry's lock, then this object's; this object never calls the registry while holding its own lock.
 * Invariant: at most one link per camera id, and a link that is no longer in {@link #links} is closed.
 */
public final class OnvifCameras implements CameraRegistry.Observer, SnapshotSource, AutoCloseable {

    /** Where a camera's ONVIF side stands. The failure states are the driver's {@link CameraDriverException.Kind}s. */
    public enum State {
        /** First attempt under way. */
        RESOLVING,
        /** Streams resolved, camera pulled, events subscribed (when the camera has an event service). */
        READY,
        UNREACHABLE, TIMEOUT, AUTHENTICATION, SOAP_FAULT, MALFORMED, UNSUPPORTED;

        static State of(CameraDriverException.Kind kind) {
            return State.valueOf(kind.name());
        }
    }

    /**
     * What the API shows of a camera's ONVIF side.
     *
     * @param mainResolution e.g. {@code 1280x720}, null until resolved
     * @param subResolution  null when the camera has a single video profile
     */
    public record Status(String cameraId, URI deviceService, State state, String error, Instant since, int attempts,
                         URI mainUrl, URI subUrl, String mainResolution, String subResolution, boolean subscribed,
                         long eventsDelivered, long subscriptionLosses) {
    }

    /**
     * Tunables.
     *
     * @param retryMin first delay before another attempt on a failed camera; doubles up to {@code retryMax}
     * @param events   the PullPoint subscription's lifetime, poll and backoff
     */
    public record Settings(Duration retryMin, Duration retryMax, PullPointSubscription.Settings events) {

        public Settings {
            if (retryMin.isNegative() || retryMax.compareTo(retryMin) < 0) {
                throw new IllegalArgumentException("bad retry delays");
            }
            Objects.requireNonNull(events, "events");
        }

        /** 1 s to 60 s retries, default subscriptions (one minute, 10 s polls). */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(1), Duration.ofSeconds(60), PullPointSubscription.Settings.defaults());
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(OnvifCameras.class);

    private final OnvifDrivers drivers;
    private final CameraRegistry registry;
    private final CameraEventWriter events;
    private final ExecutorService blocking;
    private final ScheduledExecutorService scheduler;
    private final InstantSource clock;
    private final Settings settings;
    private final Map<String, OnvifLink> links = new HashMap<>();
    private final org.vigie.server.camera.CameraPlacement placement;
    private boolean closed;

    public OnvifCameras(OnvifDrivers drivers, CameraRegistry registry, CameraEventWriter events,
                        ExecutorService blocking, ScheduledExecutorService scheduler, InstantSource clock,
                        Settings settings) {
        this(drivers, registry, events, blocking, scheduler, clock, settings,
                org.vigie.server.camera.CameraPlacement.EVERY_CAMERA);
    }

    /**
     * @param placement which cameras this server records: only those have their events subscribed here (in a
     *                  cluster, the node that records a camera collects its events, so that they are stored once;
     *                  every node still resolves it and serves its PTZ and snapshots)
     */
    public OnvifCameras(OnvifDrivers drivers, CameraRegistry registry, CameraEventWriter events,
                        ExecutorService blocking, ScheduledExecutorService scheduler, InstantSource clock,
                        Settings settings, org.vigie.server.camera.CameraPlacement placement) {
        this.placement = Objects.requireNonNull(placement, "placement");
        this.drivers = Objects.requireNonNull(drivers, "drivers");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.events = Objects.requireNonNull(events, "events");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    // ---- CameraRegistry.Observer: under the registry's lock, never blocks ----

    @Override
    public void put(CameraConfig config) {
        OnvifLink old;
        OnvifLink link = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            old = links.get(config.id());
            if (old != null && old.resolved == config) {
                placed(old); // our own put of the resolved camera, or the cluster moving it to or from this node
                return;
            }
            if (old != null) {
                links.remove(config.id());
                old.closed = true;
            }
            if (config.onvif() != null && config.enabled()) {
                link = new OnvifLink(config, clock.instant(), new Backoff(settings.retryMin(), settings.retryMax()));
                links.put(config.id(), link);
            }
        }
        if (old != null) {
            closeLater(old);
        }
        if (link != null) {
            submit(link);
        }
    }

    @Override
    public void removed(String id) {
        OnvifLink old;
        synchronized (this) {
            old = links.remove(id);
            if (old != null) {
                old.closed = true;
            }
        }
        if (old != null) {
            closeLater(old);
        }
    }

    // ---- queries (API threads) ----

    /** The ONVIF status of a camera, empty when it has no ONVIF device service (or is disabled). */
    public synchronized Optional<Status> status(String cameraId) {
        OnvifLink l = links.get(cameraId);
        return l == null ? Optional.empty() : Optional.of(l.status());
    }

    public synchronized List<Status> statuses() {
        List<Status> out = new ArrayList<>();
        links.values().forEach(l -> out.add(l.status()));
        return out;
    }

    /** A ready camera's driver and the profile its PTZ is steered through. */
    public record Ready(OnvifCameraDriver driver, CameraStreams streams, String ptzProfile) {
    }

    /**
     * The connected driver of an ONVIF camera.
     *
     * @return empty when the camera has no ONVIF device service
     * @throws CameraDriverException with the kind of the last failure while the camera is not ready
     */
    public Optional<Ready> ready(String cameraId) throws CameraDriverException {
        OnvifLink l;
        synchronized (this) {
            l = links.get(cameraId);
        }
        if (l == null) {
            return Optional.empty();
        }
        OnvifCameraDriver d = l.driver;
        CameraStreams s = l.streams;
        if (d == null || s == null) {
            State st = l.state;
            CameraDriverException.Kind kind = st == State.RESOLVING || st == State.READY
                    ? CameraDriverException.Kind.UNREACHABLE : CameraDriverException.Kind.valueOf(st.name());
            throw new CameraDriverException(kind, cameraId + " is not connected yet"
                    + (l.error == null ? "" : " (" + l.error + ")"));
        }
        return Optional.of(new Ready(d, s, l.ptzProfile()));
    }

    @Override
    public Optional<byte[]> snapshot(String cameraId) throws CameraDriverException {
        OnvifLink l;
        synchronized (this) {
            l = links.get(cameraId);
        }
        if (l == null || l.driver == null || l.streams == null) {
            return Optional.empty();
        }
        return Optional.of(l.driver.snapshot(l.streams.main().token()));
    }

    /** Events stored, dropped (queue full) and failed so far. */
    public CameraEventWriter events() {
        return events;
    }

    // ---- resolution (blocking executor) ----

    private void submit(OnvifLink link) {
        try {
            blocking.execute(() -> resolve(link));
        } catch (RejectedExecutionException e) {
            if (!link.closed) {
                LOG.warn("{}: ONVIF work queue full, retrying later", link.config.id());
                retryLater(link);
            }
        }
    }

    private void resolve(OnvifLink link) {
        if (link.closed) {
            return;
        }
        CameraConfig c = link.config;
        link.attempts++;
        try {
            Credentials credentials = c.username() == null ? Credentials.NONE
                    : new Credentials(c.username(), c.password() == null ? "" : c.password());
            OnvifCameraDriver driver = drivers.connect(c.id(), c.onvif(), credentials, c.basicOverHttp());
            CameraStreams streams = driver.streams();
            CameraConfig resolved = c.url() != null ? c
                    : c.withStreams(streams.main().streamUri(), c.subUrl() != null ? c.subUrl()
                    : streams.sub() == streams.main() ? null : streams.sub().streamUri());
            link.driver = driver;
            link.streams = streams;
            link.resolved = resolved;
            if (resolved != c) {
                synchronized (registry) {
                    if (link.closed) {
                        return;
                    }
                    registry.put(resolved); // calls put(resolved) back, recognised as ours
                }
            }
            subscribe(link, driver);
            link.state = State.READY;
            link.error = null;
            link.since = clock.instant();
            link.backoff.reset();
            LOG.info("{}: ONVIF ready, main {} ({}x{}), sub {} ({}x{})", c.id(), resolved.url(),
                    streams.main().width(), streams.main().height(), resolved.subUrl(), streams.sub().width(),
                    streams.sub().height());
        } catch (CameraDriverException e) {
            State s = State.of(e.kind());
            if (link.state != s) {
                link.since = clock.instant();
            }
            link.state = s;
            link.error = e.getMessage();
            LOG.warn("{}: ONVIF device {} failed ({}), retrying in {}", c.id(), c.onvif(), e.getMessage(), link.backoff.peek());
            retryLater(link);
        } catch (RuntimeException e) {
            link.state = State.MALFORMED;
            link.error = e.toString();
            link.since = clock.instant();
            LOG.warn("{}: ONVIF resolution failed, retrying in {}", c.id(), link.backoff.peek(), e);
            retryLater(link);
        }
    }

    /**
     * A resolved camera put again: its events follow where it is recorded (subscribed when it is placed here,
     * unsubscribed when it left). Under this object's lock: the exchanges run on the blocking executor.
     */
    private void placed(OnvifLink link) {
        boolean here = placement.recordsHere(link.config.id());
        if (here && link.subscription == null && link.driver != null && link.state == State.READY) {
            run(() -> {
                try {
                    subscribe(link, link.driver);
                } catch (CameraDriverException e) {
                    LOG.warn("{}: ONVIF events not subscribed ({}); at the next resolution", link.config.id(),
                            e.getMessage());
                }
            });
        } else if (!here && link.subscription != null) {
            PullPointSubscription s = link.subscription;
            link.subscription = null;
            LOG.info("{}: recorded on another node, its events are collected there", link.config.id());
            run(s::close);
        }
    }

    private void run(Runnable blockingWork) {
        try {
            blocking.execute(blockingWork);
        } catch (RejectedExecutionException e) {
            LOG.debug("ONVIF work not run, shutting down or queue full");
        }
    }

    private void subscribe(OnvifLink link, OnvifCameraDriver driver) throws CameraDriverException {
        synchronized (link) { // the resolution and a placement may both subscribe (on the blocking executor)
            if (link.subscription != null || link.closed) {
                return;
            }
            if (!placement.recordsHere(link.config.id())) {
                return; // recorded, and its events collected, on another node of the cluster
            }
            subscribeNow(link, driver);
        }
    }

    private void subscribeNow(OnvifLink link, OnvifCameraDriver driver) throws CameraDriverException {
        CameraEventListener listener = new CameraEventListener() {
            @Override
            public void onEvent(CameraEvent event) {
                events.offer(event);
            }

            @Override
            public void onSubscriptionLost(CameraDriverException cause, long retryInMillis) {
                link.subscriptionLosses.incrementAndGet();
            }
        };
        try {
            PullPointSubscription s = driver.subscribe(listener, scheduler, settings.events());
            link.subscription = s;
            if (link.closed) {
                closeLater(link);
            }
        } catch (CameraDriverException e) {
            if (e.kind() != CameraDriverException.Kind.UNSUPPORTED) {
                throw e;
            }
            LOG.info("{}: no ONVIF event service, events not collected", link.config.id());
        }
    }

    private void retryLater(OnvifLink link) {
        Duration wait = link.backoff.next();
        try {
            link.retry = scheduler.schedule(() -> submit(link), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: not retried, shutting down", link.config.id());
        }
    }

    private void closeLater(OnvifLink link) {
        var retry = link.retry;
        if (retry != null) {
            retry.cancel(false);
        }
        PullPointSubscription s = link.subscription;
        if (s == null) {
            return;
        }
        try {
            blocking.execute(s::close); // Unsubscribe waits for the camera's answer
        } catch (RejectedExecutionException e) {
            s.close();
        }
    }

    /** Closes every subscription (unsubscribing, each bounded by the request timeout). The executors are the caller's. */
    @Override
    public void close() {
        List<OnvifLink> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(links.values());
            links.clear();
            all.forEach(l -> l.closed = true);
        }
        for (OnvifLink l : all) {
            var retry = l.retry;
            if (retry != null) {
                retry.cancel(false);
            }
            PullPointSubscription s = l.subscription;
            if (s != null) {
                s.close();
            }
        }
    }
}
