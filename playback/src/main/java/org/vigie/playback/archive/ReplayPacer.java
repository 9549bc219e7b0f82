package org.vigie.playback.archive;

/**
 * When to send each archived frame: at real time x scale from an anchor (the first frame, or the first after a
 * gap or a stall). Pure arithmetic on times passed in, so it is tested without sleeping.
 *
 * <p>Rules: a frame more than {@code maxGapMicros} after the previous one (a recording gap), or earlier than it
 * (a new segment's clock), re-anchors and is marked as a discontinuity; a sender more than {@link #MAX_LATE_NANOS}
 * behind (the client was slow) re-anchors without a discontinuity instead of bursting to catch up. Without rate
 * control every frame is due at once. Not thread-safe (one session's sender).
 */
public final class ReplayPacer {

    public static final long MAX_LATE_NANOS = 500_000_000L;

    private final double scale;
    private final boolean rateControl;
    private final long maxGapMicros;
    private boolean anchored;
    private long anchorWall;
    private long anchorNanos;
    private long lastWall;
    private boolean discontinuity = true;

    public ReplayPacer(double scale, boolean rateControl, long maxGapMicros) {
        if (!(scale > 0)) throw new IllegalArgumentException("scale must be positive: " + scale);
        this.scale = scale;
        this.rateControl = rateControl;
        this.maxGapMicros = maxGapMicros;
    }

    /**
     * Nanoseconds to wait before sending the frame of {@code wallMicros} (0: now). Calling it again for the same
     * frame while waiting gives the remaining wait.
     */
    public long delayNanos(long wallMicros, long nowNanos) {
        if (!anchored || wallMicros < lastWall || wallMicros - lastWall > maxGapMicros) {
            if (anchored) discontinuity = true;
            anchor(wallMicros, nowNanos);
        }
        lastWall = wallMicros;
        if (!rateControl) return 0;
        long due = anchorNanos + (long) ((wallMicros - anchorWall) * 1000.0 / scale);
        if (nowNanos - due > MAX_LATE_NANOS) {
            anchor(wallMicros, nowNanos);
            return 0;
        }
        return Math.max(0, due - nowNanos);
    }

    /** Whether the frame just paced follows a discontinuity (reads and clears the flag). */
    public boolean takeDiscontinuity() {
        boolean d = discontinuity;
        discontinuity = false;
        return d;
    }

    private void anchor(long wallMicros, long nowNanos) {
        anchored = true;
        anchorWall = wallMicros;
        anchorNanos = nowNanos;
    }
}
