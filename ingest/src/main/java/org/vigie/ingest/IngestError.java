package org.vigie.ingest;

import java.time.Instant;
import java.util.Objects;

/**
 * A classified ingest failure. Immutable.
 *
 * @param kind   the class of failure
 * @param detail what GStreamer or the watchdog said, for humans (no credentials)
 * @param at     when it was observed
 */
public record IngestError(IngestErrorKind kind, String detail, Instant at) {

    public IngestError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }

    /** "authentication failed (401): Unauthorized". */
    public String describe() {
        return detail.isEmpty() ? kind.label() : kind.label() + ": " + detail;
    }
}
