package org.vigie.server.privacy;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.vigie.base.privacy.CameraMasks;
import org.vigie.base.privacy.MaskSet;
import org.vigie.server.store.MaskStore;

/**
 * The {@link CameraMasks} of the paths out of the server that must answer without blocking (an event loop, a
 * GStreamer thread): the last version of every camera's masks, loaded from the {@link MaskStore} at start, replaced
 * at once on every change made through this server ({@link #changed}), and reloaded by {@link #refresh()} (which the
 * server schedules) and, in a cluster, at once when another node announces a change ({@link #reloadSoon()}, through
 * a ZooKeeper signal that {@link #written} raises): a mask drawn on one node is applied by every node's streams
 * within a second, the period being the fallback when a signal is lost.
 *
 * <p>Thread-safe: a concurrent map of immutable {@link MaskSet}s. A version never goes back: an older version read by
 * a refresh never replaces a newer one.
 */
public final class StoredCameraMasks implements CameraMasks, AutoCloseable {

    /** How often {@link #refresh()} runs once {@link #startRefreshing} is called. */
    public static final java.time.Duration REFRESH = java.time.Duration.ofSeconds(5);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StoredCameraMasks.class);

    private final MaskStore store;
    private final Map<String, MaskSet> current = new ConcurrentHashMap<>();
    private java.util.concurrent.ScheduledExecutorService refresher;
    private volatile Runnable announcer = () -> { };

    public StoredCameraMasks(MaskStore store) throws SQLException {
        this.store = store;
        refresh();
    }

    @Override
    public MaskSet current(String cameraId) {
        return current.getOrDefault(cameraId, MaskSet.NONE);
    }

    /** A version just written (or read) for the camera. */
    public void changed(String cameraId, MaskSet masks) {
        current.merge(cameraId, masks, (old, now) -> now.version() >= old.version() ? now : old);
    }

    /** A version written through this server: in force here at once, and announced to the other nodes. */
    public void written(String cameraId, MaskSet masks) {
        changed(cameraId, masks);
        announcer.run();
    }

    /** What tells the other nodes of a cluster that the masks changed (it must not block). */
    public void announceWritesTo(Runnable announcer) {
        this.announcer = announcer;
    }

    /** Reloads on the refresher's thread as soon as it is free (another node changed the masks); never blocks. */
    public synchronized void reloadSoon() {
        if (refresher == null || refresher.isShutdown()) return;
        refresher.execute(this::refreshQuietly);
    }

    /** Refreshes every {@code period} on a daemon thread of its own, until {@link #close()}. */
    public synchronized void startRefreshing(java.time.Duration period) {
        if (refresher != null) return;
        refresher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "privacy-masks-refresh");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refreshQuietly, period.toMillis(), period.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (refresher != null) refresher.shutdownNow();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("reloading the privacy masks: {} (the masks of the last reload stay in force)", e.toString());
        }
    }

    /** Reads the last version of every camera from the store. Blocking. */
    public void refresh() throws SQLException {
        store.currentAll().forEach(this::changed);
    }
}
