package org.vigie.server.stream;

import java.time.Instant;
import java.util.Optional;
import org.vigie.media.StreamKey;
import org.vigie.server.auth.Principal;

/**
 * Who may open what on the streaming endpoint, and the audit of what they opened. Both methods block (database,
 * audit trail): the endpoint calls them on its worker threads, never on an event loop. Thread-safe.
 */
public interface StreamAccess {

    /** Why a view starts, as its audit record tells: a channel opened, an archive channel moved, or switched live. */
    enum ViewStart {
        /** An {@code open} message. */
        OPEN,
        /** A {@code seek} of an archive channel: what is shown from now on starts at another time. */
        SEEK,
        /** An archive channel opened with {@code thenLive} reached the live edge and goes on live. */
        LIVE_EDGE;

        /** The name in the audit record's {@code start} detail. */
        public String auditName() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /**
     * The principal of an {@code Authorization} header value ({@code Bearer <token or API key>}), if valid, with
     * the role and grants stored now. The endpoint calls it again before each view starts, so a right is used as
     * it is now, not as it was when the connection was opened.
     */
    Optional<Principal> authenticate(String authorization) throws Exception;

    /**
     * Checks that {@code principal} may watch {@code key} live ({@code from == null}) or from the archive, and
     * writes the audit record of the view (with {@code start} and, for the archive, the time shown from); throws
     * {@link ChannelRefusedException} (404 unknown camera, 403 no right, the refusal audited) otherwise.
     */
    void authorizeView(Principal principal, StreamKey key, Instant from, String remote, ViewStart start)
            throws Exception;

    /**
     * Whether {@code principal} may still watch {@code key}, live or from the archive: the periodic re-check of the
     * channels already open (a right withdrawn, a camera removed). Writes no audit record.
     */
    boolean mayView(Principal principal, StreamKey key, boolean archive) throws Exception;
}
