package org.vigie.recorder.retention;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
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
     * Records an export or a transmission of footage (called by the export code each time footage is handed over,
     * whole or in part). Each distinct window is listed once per UTC day, whatever the number of answers that
     * handed it over (a player reads an export in many byte ranges): the window is the kind, camera, stream,
     * {@code [from, to)}, actor, recipient and case, and names the entry ({@link #exportId}), so a repeat is not
     * written again, and {@link #query} lists it once.
     *
     * @param stream null for every stream of the camera
     * @param bytes  the size of the whole export of the window
     */
    RegisterEntry recordExport(RegisterEntry.Kind kind, String cameraId, String stream, Instant from, Instant to,
                               String actor, String recipient, String caseNumber, long bytes) throws IOException;

    /**
     * {@link #recordExport(RegisterEntry.Kind, String, String, Instant, Instant, String, String, String, long)}
     * naming the version of the camera's privacy masks the export applied (issue 14; 0: the camera had none): the
     * same window exported under another version is another entry. A register that cannot keep the version (the
     * journal of earlier versions) records the export without it.
     */
    default RegisterEntry recordExport(RegisterEntry.Kind kind, String cameraId, String stream, Instant from,
                                       Instant to, String actor, String recipient, String caseNumber, long bytes,
                                       long maskVersion) throws IOException {
        return recordExport(kind, cameraId, stream, from, to, actor, recipient, caseNumber, bytes);
    }

    /**
     * The entries whose time is within {@code [from, to)}, oldest first, each once.
     *
     * @param cameraId null for every camera
     * @param kind     null for every kind
     * @param limit    at most this many (the oldest ones)
     */
    List<RegisterEntry> query(Instant from, Instant to, String cameraId, RegisterEntry.Kind kind, int limit)
            throws IOException;

    /**
     * The id of an export window handed over at {@code now}: {@code X} and a hash of the kind, camera, stream,
     * {@code [from, to)}, actor, recipient, case and UTC day of {@code now}; the same window the same day has the
     * same id.
     */
    static String exportId(RegisterEntry.Kind kind, String cameraId, String stream, Instant from, Instant to,
                           String actor, String recipient, String caseNumber, Instant now) {
        return exportId(kind, cameraId, stream, from, to, actor, recipient, caseNumber, null, now);
    }

    /** {@link #exportId(RegisterEntry.Kind, String, String, Instant, Instant, String, String, String, Instant)},
     *  the privacy mask version too when not null. */
    static String exportId(RegisterEntry.Kind kind, String cameraId, String stream, Instant from, Instant to,
                           String actor, String recipient, String caseNumber, Long maskVersion, Instant now) {
        StringBuilder b = new StringBuilder();
        for (Object p : new Object[] {kind, cameraId, stream, from, to, actor, recipient, caseNumber,
                LocalDate.ofInstant(now, ZoneOffset.UTC)}) {
            String s = String.valueOf(p);
            b.append(s.length()).append(':').append(s).append('|');
        }
        if (maskVersion != null) {
            b.append("masks:").append(maskVersion).append('|');
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return "X" + HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException(x);
        }
    }
}
