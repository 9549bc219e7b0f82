package org.vigie.recorder.retention;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The legal holds. The {@link RetentionSweeper} consults it before destroying anything; the API (with a
 * supervisor's right, audited) changes it. Implementations are thread-safe and durable: a change is on disk when
 * the method returns.
 */
public interface HoldRegistry {

    /** Every hold ever created, released and expired ones included, by creation. */
    List<LegalHold> all();

    Optional<LegalHold> get(String id);

    /** The holds active at {@code now}. */
    default List<LegalHold> active(Instant now) {
        return all().stream().filter(h -> h.active(now)).toList();
    }

    /**
     * Creates a hold; its expiry must be in the future, and its dates within
     * {@link org.vigie.base.InstantBounds} (bounds of span and expiry are the API's configuration).
     */
    LegalHold create(String cameraId, Instant from, Instant to, String caseNumber, String reason, Instant expires,
                     String createdBy) throws IOException;

    /** Moves an active hold's expiry later. */
    LegalHold extend(String id, Instant newExpiry, String by) throws IOException;

    /**
     * Releases an active hold that was not released yet: it ends {@code grace} from now (at once for zero, or at its
     * expiry if that comes first), and its footage then falls under retention again.
     */
    LegalHold release(String id, String by, java.time.Duration grace) throws IOException;

    /** Releases an active hold at once. */
    default LegalHold release(String id, String by) throws IOException {
        return release(id, by, java.time.Duration.ZERO);
    }
}
