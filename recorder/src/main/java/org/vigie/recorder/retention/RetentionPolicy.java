package org.vigie.recorder.retention;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How long each camera's recordings are kept: a per-camera duration, else the default; never more than
 * {@link #MAX_RETENTION} (the law's 30 days: CSI art. L252-5). Only a {@link LegalHold} keeps footage longer.
 * Immutable.
 */
public final class RetentionPolicy {

    public static final Duration MAX_RETENTION = Duration.ofDays(30);

    private final Duration defaultRetention;
    private final Map<String, Duration> perCamera;

    public RetentionPolicy(Duration defaultRetention, Map<String, Duration> perCamera) {
        this.defaultRetention = check("default", defaultRetention);
        perCamera.forEach(RetentionPolicy::check);
        this.perCamera = Map.copyOf(perCamera);
    }

    /** 30 days for every camera. */
    public static RetentionPolicy maximum() {
        return new RetentionPolicy(MAX_RETENTION, Map.of());
    }

    public Duration retentionOf(String cameraId) {
        return perCamera.getOrDefault(cameraId, defaultRetention);
    }

    private static Duration check(String camera, Duration d) {
        Objects.requireNonNull(d, camera);
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_RETENTION) > 0) {
            throw new IllegalArgumentException("retention of " + camera + " must be within (0, 30 days]: " + d);
        }
        return d;
    }
}
