package org.vigie.recorder.retention;

import java.time.Instant;
import java.util.Objects;

/**
 * An evidence lock: the recordings of a camera (all its streams) within {@code [from, to)} are kept, whatever the
 * retention and the free space, while the hold is active (not released and not expired). Immutable: extending or
 * releasing gives a new instance.
 *
 * @param id         unique, assigned by the registry
 * @param caseNumber the judicial case (procès-verbal, réquisition) number
 * @param expires    the hold ends by itself at this instant unless extended
 * @param createdBy  the supervisor who created it
 * @param releasedAt when it was released, or null
 * @param releasedBy who released it, or null
 */
public record LegalHold(String id, String cameraId, Instant from, Instant to, String caseNumber, String reason,
                        Instant expires, String createdBy, Instant createdAt, Instant releasedAt, String releasedBy) {

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
    }

    static void requireText(String what, String value, int max) {
        if (value == null || value.isBlank() || value.length() > max) {
            throw new IllegalArgumentException(what + " must be 1-" + max + " characters");
        }
    }

    public boolean active(Instant now) {
        return releasedAt == null && now.isBefore(expires);
    }

    /** True when the hold is active and covers part of {@code [startMicros, endMicros)} of the camera. */
    public boolean covers(String camera, long startMicros, long endMicros, Instant now) {
        return active(now) && cameraId.equals(camera) && micros(from) < Math.max(endMicros, startMicros + 1)
                && startMicros < micros(to);
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    LegalHold extended(Instant newExpiry) {
        return new LegalHold(id, cameraId, from, to, caseNumber, reason, newExpiry, createdBy, createdAt, null, null);
    }

    LegalHold released(Instant at, String by) {
        return new LegalHold(id, cameraId, from, to, caseNumber, reason, expires, createdBy, createdAt, at, by);
    }
}
