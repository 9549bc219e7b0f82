package org.vigie.camera.onvif;

import static org.vigie.camera.onvif.OnvifNamespaces.TEV;
import static org.vigie.camera.onvif.OnvifNamespaces.WSA;
import static org.vigie.camera.onvif.OnvifNamespaces.WSNT;
import static org.vigie.camera.onvif.SecureXml.child;
import static org.vigie.camera.onvif.SecureXml.text;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.base.Backoff;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.CameraDriverException.Kind;
import org.vigie.camera.CameraEvent;
import org.vigie.camera.CameraEventListener;
import org.w3c.dom.Element;

/**
 * A WS-BaseNotification PullPoint subscription to a camera's events, kept alive until {@link #close()}.
 *
 * <p>Cycle: {@code CreatePullPointSubscription} → repeated {@code PullMessages} long polls → {@code Renew} once
 * half of the granted lifetime has passed → ... On any failure the listener is told, the old subscription is
 * dropped (best-effort {@code Unsubscribe}) and a new one is created after a backoff that doubles from
 * {@link Settings#initialBackoff()} up to {@link Settings#maxBackoff()} and resets after a success.
 * {@link #close()} stops the cycle and sends {@code Unsubscribe}.
 *
 * <p>Invariants: at most one exchange is outstanding at a time (each step is started by the completion of the
 * previous one), so the state below needs no lock; every step runs on the injected executor, never on the
 * HTTP client's threads; a long poll never lasts longer than a quarter of the granted lifetime, so the renewal
 * (due at one half) is sent before the subscription expires. Times are measured with the injected clock.
 */
public final class PullPointSubscription implements AutoCloseable {

    /**
     * Tunables.
     *
     * @param terminationTime lifetime asked for at creation and at each renewal
     * @param pullTimeout     longest long poll (shortened to a quarter of the granted lifetime)
     * @param messageLimit    most notifications per poll
     */
    public record Settings(Duration terminationTime, Duration pullTimeout, int messageLimit, Duration initialBackoff,
                           Duration maxBackoff) {

        public Settings {
            if (terminationTime.toMillis() < 1000 || pullTimeout.toMillis() < 100 || messageLimit < 1
                    || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("bad subscription settings");
            }
        }

        /** One minute subscriptions, 10 s polls, 1 s to 60 s backoff. */
        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(1), Duration.ofSeconds(10), 100, Duration.ofSeconds(1),
                    Duration.ofSeconds(60));
        }
    }

    /** Re-bases an address announced by the camera onto the reachable host (see {@link OnvifCameraDriver}). */
    interface Rebaser {
        URI rebase(String announced) throws CameraDriverException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PullPointSubscription.class);
    private static final String ACTION = TEV + "/PullPointSubscription/";

    private final String cameraId;
    private final SoapClient soap;
    private final URI eventService;
    private final CameraEventListener listener;
    private final ScheduledExecutorService executor;
    private final Settings settings;
    private final Rebaser rebaser;

    private volatile boolean closed;
    private volatile URI address;
    private volatile String referenceParameters = "";
    private volatile Duration granted;
    private volatile Instant renewAt;
    /** Guarded by itself (the callbacks run on the executor's threads). */
    private final Backoff backoff;
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong renewed = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();

    PullPointSubscription(String cameraId, SoapClient soap, URI eventService, CameraEventListener listener,
                          ScheduledExecutorService executor, Settings settings, Rebaser rebaser) {
        this.cameraId = cameraId;
        this.soap = soap;
        this.eventService = eventService;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rebaser = rebaser;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    }

    void start() {
        executor.execute(this::create);
    }

    /** Subscriptions created so far (1 while nothing failed). */
    public long subscriptionsCreated() {
        return created.get();
    }

    public long renewals() {
        return renewed.get();
    }

    public long eventsDelivered() {
        return delivered.get();
    }

    private void create() {
        if (closed) {
            return;
        }
        String body = "<tev:CreatePullPointSubscription xmlns:tev=\"" + TEV + "\"><tev:InitialTerminationTime>"
                + settings.terminationTime() + "</tev:InitialTerminationTime></tev:CreatePullPointSubscription>";
        String headers = addressing(TEV + "/EventPortType/CreatePullPointSubscriptionRequest", eventService, "");
        soap.callAsync(eventService, headers, body, soap.requestTimeout(), true)
                .whenCompleteAsync((r, t) -> {
                    if (t != null) {
                        failed(t);
                        return;
                    }
                    try {
                        onCreated(r);
                    } catch (CameraDriverException e) {
                        failed(e);
                        return;
                    }
                    pull();
                }, executor);
    }

    private void onCreated(Element r) throws CameraDriverException {
        Element reference = child(r, "SubscriptionReference").orElseThrow(() ->
                OnvifCameraDriver.malformed("CreatePullPointSubscription without SubscriptionReference"));
        address = rebaser.rebase(text(reference, "Address"));
        referenceParameters = child(reference, "ReferenceParameters").map(PullPointSubscription::innerXml).orElse("");
        granted = grantedLifetime(r);
        created.incrementAndGet();
        scheduleRenewal();
        LOG.debug("{}: subscribed at {} for {}", cameraId, address, granted);
    }

    /** TerminationTime - CurrentTime, both in the camera's clock; what we asked for if absent. */
    private Duration grantedLifetime(Element r) {
        var current = NotificationParser.parseTime(text(r, "CurrentTime"));
        var termination = NotificationParser.parseTime(text(r, "TerminationTime"));
        if (current.isPresent() && termination.isPresent()) {
            Duration d = Duration.between(current.get(), termination.get());
            if (d.toMillis() >= 1000) {
                return d;
            }
        }
        return settings.terminationTime();
    }

    private void scheduleRenewal() {
        renewAt = soap.clock().instant().plus(granted.dividedBy(2));
    }

    private void pull() {
        if (closed) {
            return;
        }
        if (!soap.clock().instant().isBefore(renewAt)) {
            renew();
            return;
        }
        Duration poll = settings.pullTimeout();
        Duration quarter = granted.dividedBy(4);
        if (poll.compareTo(quarter) > 0) {
            poll = quarter;
        }
        String body = "<tev:PullMessages xmlns:tev=\"" + TEV + "\"><tev:Timeout>" + poll + "</tev:Timeout>"
                + "<tev:MessageLimit>" + settings.messageLimit() + "</tev:MessageLimit></tev:PullMessages>";
        soap.callAsync(address, addressing(ACTION + "PullMessagesRequest", address, referenceParameters), body,
                        poll.plus(soap.requestTimeout()), true)
                .whenCompleteAsync((r, t) -> {
                    if (t != null) {
                        failed(t);
                        return;
                    }
                    synchronized (backoff) {
                        backoff.reset();
                    }
                    for (CameraEvent e : NotificationParser.parse(cameraId, r, soap.clock().instant())) {
                        if (closed) {
                            return;
                        }
                        deliver(e);
                    }
                    pull();
                }, executor);
    }

    private void deliver(CameraEvent e) {
        delivered.incrementAndGet();
        try {
            listener.onEvent(e);
        } catch (RuntimeException ex) {
            LOG.warn("{}: event listener failed on {}", cameraId, e.topic(), ex);
        }
    }

    private void renew() {
        String body = "<wsnt:Renew xmlns:wsnt=\"" + WSNT + "\"><wsnt:TerminationTime>" + settings.terminationTime()
                + "</wsnt:TerminationTime></wsnt:Renew>";
        soap.callAsync(address, addressing(WSNT + "/SubscriptionManager/RenewRequest", address, referenceParameters),
                        body, soap.requestTimeout(), true)
                .whenCompleteAsync((r, t) -> {
                    if (t != null) {
                        failed(t);
                        return;
                    }
                    granted = grantedLifetime(r);
                    renewed.incrementAndGet();
                    scheduleRenewal();
                    pull();
                }, executor);
    }

    private void failed(Throwable t) {
        if (closed) {
            return;
        }
        CameraDriverException e = SoapClient.unwrap(t);
        Duration wait;
        synchronized (backoff) {
            wait = backoff.next();
        }
        LOG.info("{}: event subscription lost ({}), retrying in {}", cameraId, e.getMessage(), wait);
        try {
            listener.onSubscriptionLost(e, wait.toMillis());
        } catch (RuntimeException ex) {
            LOG.warn("{}: listener failed", cameraId, ex);
        }
        URI old = address;
        address = null;
        if (old != null) {
            unsubscribe(old, referenceParameters);
        }
        executor.schedule(this::create, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<Element> unsubscribe(URI at, String refParams) {
        return soap.callAsync(at, addressing(WSNT + "/SubscriptionManager/UnsubscribeRequest", at, refParams),
                "<wsnt:Unsubscribe xmlns:wsnt=\"" + WSNT + "\"/>", soap.requestTimeout(), true);
    }

    /** Stops the cycle and unsubscribes (waits at most the request timeout). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        URI at = address;
        if (at != null) {
            try {
                SoapClient.await(unsubscribe(at, referenceParameters));
            } catch (CameraDriverException e) {
                if (e.kind() != Kind.SOAP_FAULT) {
                    LOG.debug("{}: unsubscribe failed: {}", cameraId, e.getMessage());
                }
            }
        }
    }

    private static String addressing(String action, URI to, String referenceParameters) {
        return "<wsa:Action xmlns:wsa=\"" + WSA + "\">" + action + "</wsa:Action><wsa:To xmlns:wsa=\"" + WSA + "\">"
                + SecureXml.escape(to.toString()) + "</wsa:To>" + referenceParameters;
    }

    private static String innerXml(Element e) {
        StringBuilder b = new StringBuilder();
        for (var n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                b.append(NotificationParser.serialise(c));
            }
        }
        return b.toString();
    }
}
