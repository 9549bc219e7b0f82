package org.vigie.gst.ingest;

import org.vigie.ingest.IngestErrorKind;
import java.util.Locale;

/**
 * Classifies a GStreamer bus ERROR (GError domain, code, message and debug text) of an rtspsrc pipeline into an
 * {@link IngestErrorKind}. The mapping was measured on GStreamer 1.22 (see the tests):
 * <ul>
 *   <li>401 → resource error NOT_AUTHORIZED (15), "Unauthorized";</li>
 *   <li>404 → resource error NOT_FOUND (3), "Not found";</li>
 *   <li>nothing listening → resource error OPEN_READ_WRITE (7), debug "Failed to connect. (Generic error)";</li>
 *   <li>garbage answer → resource error READ (9), debug "... (Parse error)";</li>
 *   <li>no answer → debug "... (Timeout while waiting for server response)".</li>
 * </ul>
 * Pure function; thread-safe.
 */
public final class IngestErrorClassifier {

    /** GST_RESOURCE_ERROR codes (gstreamer/gsterror.h). */
    static final int RESOURCE_NOT_FOUND = 3;
    static final int RESOURCE_OPEN_READ = 5;
    static final int RESOURCE_OPEN_READ_WRITE = 7;
    static final int RESOURCE_READ = 9;
    static final int RESOURCE_WRITE = 10;
    static final int RESOURCE_SETTINGS = 13;
    static final int RESOURCE_NOT_AUTHORIZED = 15;
    /** GST_STREAM_ERROR codes. */
    static final int STREAM_CODEC_NOT_FOUND = 6;
    static final int STREAM_DECODE = 7;
    static final int STREAM_FORMAT = 12;

    private IngestErrorClassifier() {
    }

    public static IngestErrorKind classify(String domain, int code, String message, String debug) {
        String d = (debug == null ? "" : debug).toLowerCase(Locale.ROOT);
        String m = (message == null ? "" : message).toLowerCase(Locale.ROOT);
        boolean resource = domain != null && domain.startsWith("gst-resource-error");
        boolean stream = domain != null && domain.startsWith("gst-stream-error");
        if (d.contains("timeout") || d.contains("timed out") || m.contains("timeout")) {
            return IngestErrorKind.TIMEOUT;
        }
        if (resource) {
            switch (code) {
                case RESOURCE_NOT_AUTHORIZED:
                    return IngestErrorKind.AUTHENTICATION_FAILED;
                case RESOURCE_NOT_FOUND:
                    return IngestErrorKind.NOT_FOUND;
                case RESOURCE_OPEN_READ:
                case RESOURCE_OPEN_READ_WRITE:
                    if (d.contains("failed to connect") || d.contains("refused") || d.contains("unreachable")) {
                        return IngestErrorKind.CONNECTION_REFUSED;
                    }
                    return IngestErrorKind.PROTOCOL_ERROR;
                case RESOURCE_READ:
                case RESOURCE_WRITE:
                case RESOURCE_SETTINGS:
                    return IngestErrorKind.PROTOCOL_ERROR;
                default:
                    break;
            }
            if (m.contains("unauthorized")) {
                return IngestErrorKind.AUTHENTICATION_FAILED;
            }
            if (m.contains("not found")) {
                return IngestErrorKind.NOT_FOUND;
            }
        }
        if (stream && (code == STREAM_CODEC_NOT_FOUND || code == STREAM_FORMAT || code == STREAM_DECODE)) {
            return code == STREAM_CODEC_NOT_FOUND ? IngestErrorKind.UNSUPPORTED_CODEC : IngestErrorKind.PROTOCOL_ERROR;
        }
        return IngestErrorKind.INTERNAL;
    }
}
