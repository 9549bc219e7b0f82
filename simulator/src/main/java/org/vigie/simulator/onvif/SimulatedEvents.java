package org.vigie.simulator.onvif;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event service (PullPoint) of one simulated camera. Each subscription has a termination time on the
 * camera's clock; once passed, the subscription is gone and every request to it faults
 * ({@code wsrf-rw:ResourceUnknownFault}), as on a real camera. Raised events are queued (at most
 * {@value #MAX_QUEUED} per subscription, oldest dropped) and a waiting {@code PullMessages} is answered at once.
 *
 * <p>Thread-safety: all state is guarded by this object's monitor; long-poll timers run on the injected
 * scheduler.
 */
final class SimulatedEvents {

    static final int MAX_QUEUED = 1000;
    static final Duration MAX_TERMINATION = Duration.ofHours(1);

    private final class Subscription {
        final String id;
        Instant termination;
        final ArrayDeque<String> queue = new ArrayDeque<>();
        CompletableFuture<List<String>> waiter;
        ScheduledFuture<?> waiterTimeout;
        int waiterLimit;

        Subscription(String id, Instant termination) {
            this.id = id;
            this.termination = termination;
        }
    }

    private final InstantSource cameraClock;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong renewed = new AtomicLong();
    private final AtomicLong unsubscribed = new AtomicLong();
    private long nextId = 1;

    SimulatedEvents(InstantSource cameraClock, ScheduledExecutorService scheduler) {
        this.cameraClock = cameraClock;
        this.scheduler = scheduler;
    }

    long created() {
        return created.get();
    }

    long renewed() {
        return renewed.get();
    }

    long unsubscribed() {
        return unsubscribed.get();
    }

    synchronized int active() {
        purge();
        return subscriptions.size();
    }

    /** PullMessages requests waiting for a notification now. */
    synchronized int waitingPulls() {
        return (int) subscriptions.values().stream().filter(s -> s.waiter != null && !s.waiter.isDone()).count();
    }

    /** Creates a subscription; returns its id and termination time, or null when the time is unreadable. */
    synchronized String[] create(String initialTermination) {
        Instant termination = terminationTime(initialTermination, Duration.ofMinutes(1));
        if (termination == null) {
            return null;
        }
        String id = Long.toString(nextId++);
        subscriptions.put(id, new Subscription(id, termination));
        created.incrementAndGet();
        return new String[] {id, termination.toString()};
    }

    /** Renews; returns the new termination time, or null when the subscription is unknown or expired. */
    synchronized Instant renew(String id, String requested) {
        Subscription s = live(id);
        if (s == null) {
            return null;
        }
        Instant t = terminationTime(requested, Duration.ofMinutes(1));
        if (t == null) {
            return null;
        }
        s.termination = t;
        renewed.incrementAndGet();
        return t;
    }

    synchronized boolean unsubscribe(String id) {
        Subscription s = subscriptions.remove(id);
        if (s == null) {
            return false;
        }
        unsubscribed.incrementAndGet();
        if (s.waiter != null) {
            s.waiter.complete(List.of());
        }
        return true;
    }

    synchronized void dropAll() {
        for (Subscription s : subscriptions.values()) {
            if (s.waiter != null) {
                s.waiter.complete(List.of());
            }
        }
        subscriptions.clear();
    }

    synchronized Instant termination(String id) {
        Subscription s = live(id);
        return s == null ? null : s.termination;
    }

    /**
     * Waits up to {@code timeout} for messages; completes with up to {@code limit} notification elements, or
     * returns null when the subscription is unknown or expired.
     */
    synchronized CompletableFuture<List<String>> pull(String id, Duration timeout, int limit) {
        Subscription s = live(id);
        if (s == null) {
            return null;
        }
        if (s.waiter != null) {
            s.waiter.complete(List.of());
            s.waiterTimeout.cancel(false);
        }
        if (!s.queue.isEmpty()) {
            return CompletableFuture.completedFuture(drain(s, limit));
        }
        CompletableFuture<List<String>> f = new CompletableFuture<>();
        s.waiter = f;
        s.waiterTimeout = scheduler.schedule(() -> {
            synchronized (SimulatedEvents.this) {
                if (s.waiter == f) {
                    s.waiter = null;
                }
            }
            f.complete(List.of());
        }, Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        s.waiterLimit = limit;
        return f;
    }

    /** Queues a notification for every live subscription and wakes waiting pulls. */
    synchronized void raise(String notificationXml) {
        purge();
        for (Subscription s : subscriptions.values()) {
            if (s.queue.size() == MAX_QUEUED) {
                s.queue.removeFirst();
            }
            s.queue.addLast(notificationXml);
            if (s.waiter != null) {
                CompletableFuture<List<String>> w = s.waiter;
                s.waiter = null;
                s.waiterTimeout.cancel(false);
                w.complete(drain(s, s.waiterLimit));
            }
        }
    }

    private List<String> drain(Subscription s, int limit) {
        List<String> out = new ArrayList<>();
        while (!s.queue.isEmpty() && out.size() < Math.max(1, limit)) {
            out.add(s.queue.removeFirst());
        }
        return out;
    }

    private Subscription live(String id) {
        purge();
        return subscriptions.get(id);
    }

    private void purge() {
        Instant now = cameraClock.instant();
        subscriptions.values().removeIf(s -> {
            boolean expired = now.isAfter(s.termination);
            if (expired && s.waiter != null) {
                s.waiter.complete(List.of());
            }
            return expired;
        });
    }

    /** An xs:duration ({@code PT10S}) from now or an absolute xs:dateTime; capped at one hour. */
    private Instant terminationTime(String spec, Duration dflt) {
        Instant now = cameraClock.instant();
        String s = spec == null ? "" : spec.trim();
        Instant t;
        if (s.isEmpty()) {
            t = now.plus(dflt);
        } else if (s.startsWith("P") || s.startsWith("-P")) {
            try {
                t = now.plus(Duration.parse(s));
            } catch (DateTimeParseException e) {
                return null;
            }
        } else {
            try {
                t = OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Instant max = now.plus(MAX_TERMINATION);
        return t.isAfter(max) ? max : t;
    }
}
