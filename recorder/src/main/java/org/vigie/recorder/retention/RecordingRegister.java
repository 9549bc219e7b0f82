package org.vigie.recorder.retention;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.vigie.recorder.storage.DeletionListener;

/**
 * The register of recordings the law requires: an automatic, append-only record of every destruction and of every
 * export or transmission. As the {@link DeletionListener} of the recorder it hears of each destroyed batch at
 * least once (again after a crash between the unlinks and the removal of the deletion mark): entries are unique by
 * id, and {@link #query} lists each destruction exactly once. Implementations are thread-safe and durable: an entry
 * is stored when the call returns. The server keeps it in its store (shared by a cluster's nodes);
 * {@link FileRecordingRegister} is the journal of earlier versions, imported from at the first start.
 */
public interface RecordingRegister extends DeletionListener {

    /** Who destroys by retention or quota. */
    String SYSTEM = "system";

    /**
     * Records an export or a transmission of footage (called by the export code when the file or stream is handed
     * over).
     *
     * @param stream null for every stream of the camera
     */
    RegisterEntry recordExport(RegisterEntry.Kind kind, String cameraId, String stream, Instant from, Instant to,
                               String actor, String recipient, String caseNumber, long bytes) throws IOException;

    /**
     * The entries whose time is within {@code [from, to)}, oldest first, each once.
     *
     * @param cameraId null for every camera
     * @param kind     null for every kind
     * @param limit    at most this many (the oldest ones)
     */
    List<RegisterEntry> query(Instant from, Instant to, String cameraId, RegisterEntry.Kind kind, int limit)
            throws IOException;
}
