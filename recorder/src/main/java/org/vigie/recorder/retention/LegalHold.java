package org.vigie.recorder.retention;

import java.time.Instant;
import java.util.Objects;

/**
 * An evidence lock: the recordings of a camera (all its streams) within {@code [from, to)} are kept, whatever the
 * retention and the free space, while the hold is active: not expired, and not released, or released but before
 * the release takes effect (a release has a grace period, see {@link HoldRegistry#release}). Immutable: extending or
 * releasing gives a new instance.
 *
 * @param id         unique, assigned by the registry
 * @param caseNumber the judicial case (procès-verbal, réquisition) number
 * @param expires    the hold ends by itself at this instant unless extended
 * @param createdBy  the supervisor who created it
 * @param releasedAt when it was released, or null
 * @param releasedBy who released it, or null
 * @param releaseEffective when the release takes effect (the end of its grace period), or null when not released
 */
public record LegalHold(String id, String cameraId, Instant from, Instant to, String caseNumber, String reason,
                        Instant expires, String createdBy, Instant createdAt, Instant releasedAt, String releasedBy,
                        Instant releaseEffective) {

    public LegalHold {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(createdAt, "createdAt");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("hold range is empty: " + from + " >= " + to);
        }
        requireText("case number", caseNumber, 64);
        requireText("reason", reason, 500);
        requireText("created by", createdBy, 128);
        if ((releasedAt == null) != (releaseEffective == null)) {
            throw new IllegalArgumentException("a release has both its time and the time it takes effect");
        }
    }

    static void requireText(String what, String value, int max) {
        if (value == null || value.isBlank() || value.length() > max) {
            throw new IllegalArgumentException(what + " must be 1-" + max + " characters");
        }
    }

    public boolean active(Instant now) {
        return now.isBefore(expires) && (releaseEffective == null || now.isBefore(releaseEffective));
    }

    /** Whether a release was asked (it may still be in its grace period). */
    public boolean released() {
        return releasedAt != null;
    }

    /**
     * True when the hold is active and covers part of {@code [startMicros, endMicros)} of the camera.
     *
     * @throws ArithmeticException for dates beyond the microsecond range (a corrupt record: the sweeper keeps the
     *                             camera's footage and counts it)
     */
    public boolean covers(String camera, long startMicros, long endMicros, Instant now) {
        return active(now) && cameraId.equals(camera) && micros(from) < Math.max(endMicros, startMicros + 1)
                && startMicros < micros(to);
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    LegalHold extended(Instant newExpiry) {
        return new LegalHold(id, cameraId, from, to, caseNumber, reason, newExpiry, createdBy, createdAt, null, null,
                null);
    }

    LegalHold released(Instant at, String by, Instant effective) {
        return new LegalHold(id, cameraId, from, to, caseNumber, reason, expires, createdBy, createdAt, at, by,
                effective);
    }
}
