package org.vigie.recorder.retention;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the register of recordings: a destruction (a batch of segments of one stream, one cause) or an
 * export or transmission of footage.
 *
 * @param id        unique: a destruction's is its {@link org.vigie.recorder.storage.DeletionMark#id()}
 * @param kind      what happened
 * @param at        when
 * @param stream    the stream ({@code main}, {@code sub}), or null for an export of every stream
 * @param from      start of the footage concerned
 * @param to        end of the footage concerned
 * @param cause     for a destruction: {@code retention}, {@code quota} or {@code manual}; else null
 * @param actor     who exported or transmitted (a user name), or {@code system} for automatic destructions
 * @param recipient for an export or transmission: to whom (e.g. a police unit), else null
 * @param caseNumber the judicial case concerned, or null
 * @param segments  segments destroyed (0 for an export)
 * @param bytes     bytes destroyed or exported
 * @param maskVersion for an export: the version of the camera's privacy masks it applied (issue 14; 0: the camera
 *                  had none); null for a destruction, or an export registered before masks existed
 */
public record RegisterEntry(String id, Kind kind, Instant at, String cameraId, String stream, Instant from,
                            Instant to, String cause, String actor, String recipient, String caseNumber, long segments,
                            long bytes, Long maskVersion) {

    /** An entry that names no privacy mask version (destructions, exports registered before masks existed). */
    public RegisterEntry(String id, Kind kind, Instant at, String cameraId, String stream, Instant from, Instant to,
                         String cause, String actor, String recipient, String caseNumber, long segments, long bytes) {
        this(id, kind, at, cameraId, stream, from, to, cause, actor, recipient, caseNumber, segments, bytes, null);
    }

    /** The kinds of event the law's register lists. */
    public enum Kind {
        DESTRUCTION, EXPORT, TRANSMISSION
    }

    public RegisterEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(actor, "actor");
        if (maskVersion != null && maskVersion < 0) {
            throw new IllegalArgumentException("a mask version is >= 0");
        }
    }
}
