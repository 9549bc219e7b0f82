package org.vigie.simulator;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single timer thread that paces every camera: once per frame period it asks each camera to emit its next
 * access unit to its playing sessions (no thread per camera). Real-time pace comes from a fixed-rate schedule on
 * the monotonic clock; the injected {@link InstantSource} only stamps RTCP sender reports and session timeouts.
 *
 * <p>Invariant: ticks are numbered 0, 1, 2... and each camera sees every tick once, in order. If the thread falls
 * behind, the executor runs the late ticks back to back, so the average rate stays exact. A failing tick is
 * logged and does not stop the pacer.
 */
public final class FramePacer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FramePacer.class);

    private final List<SimulatedCamera> cameras;
    private final int fps;
    private final InstantSource clock;
    private final Consumer<RtspSession> onExpired;
    private final ScheduledExecutorService timer;
    private long tick;

    /**
     * @param onExpired called on the pacer thread for each UDP session that timed out (to close it)
     */
    public FramePacer(List<SimulatedCamera> cameras, int fps, InstantSource clock, Consumer<RtspSession> onExpired) {
        this.cameras = List.copyOf(cameras);
        this.fps = fps;
        this.clock = clock;
        this.onExpired = onExpired;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigie-sim-pacer");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        long periodNanos = 1_000_000_000L / fps;
        timer.scheduleAtFixedRate(this::tickSafely, 0, periodNanos, TimeUnit.NANOSECONDS);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("pacer tick {} failed", tick, e);
        }
    }

    /** One frame period: confined to the timer thread. */
    private void tick() {
        Instant now = clock.instant();
        long t = tick++;
        for (SimulatedCamera camera : cameras) {
            camera.emit(t, now);
        }
        if (t % fps == 0) {
            for (SimulatedCamera camera : cameras) {
                camera.expire(now).forEach(onExpired);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
