package org.vigie.server.metrics;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.systemd.SystemdNotifier;

/**
 * Tells systemd the server is ready, then feeds its watchdog at half the requested interval, but only while the
 * {@link HealthCheck} passes: an unhealthy server stops feeding and systemd restarts it after {@code WatchdogSec}.
 * A no-op without {@code NOTIFY_SOCKET}. Runs on its own thread ({@code systemd-watchdog}): the health check
 * waits for the database, and must neither hold up ingest control nor be held up by it.
 */
public final class WatchdogFeeder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchdogFeeder.class);

    private final SystemdNotifier notifier;
    private final HealthCheck health;
    private volatile boolean starving;
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> task;

    public WatchdogFeeder(SystemdNotifier notifier, HealthCheck health) {
        this.notifier = notifier;
        this.health = health;
    }

    /** Sends READY=1 and a status line, and starts feeding the watchdog if systemd asked for one. */
    public synchronized void ready(String status) {
        notifier.send("READY=1\nSTATUS=" + status);
        notifier.watchdogInterval().ifPresent(interval -> {
            long periodMs = Math.max(50, interval.toMillis() / 2);
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "systemd-watchdog");
                t.setDaemon(true);
                return t;
            });
            task = scheduler.scheduleAtFixedRate(this::feed, 0, periodMs, TimeUnit.MILLISECONDS);
            LOG.info("feeding the systemd watchdog every {} while healthy", Duration.ofMillis(periodMs));
        });
    }

    void feed() {
        HealthCheck.Health h = health.check();
        if (h.healthy()) {
            if (starving) LOG.info("healthy again: feeding the systemd watchdog");
            starving = false;
            notifier.watchdog();
        } else if (!starving) {
            starving = true;
            LOG.error("unhealthy ({}): no longer feeding the systemd watchdog", h.problems());
            notifier.status("unhealthy: " + String.join(", ", h.problems()));
        }
    }

    @Override
    public synchronized void close() {
        if (task != null) task.cancel(false);
        if (scheduler != null) scheduler.shutdownNow();
        notifier.stopping();
    }
}
