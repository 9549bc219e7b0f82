package org.vigie.ingest;

/** Why an ingest session failed, as an operator would act on it. */
public enum IngestErrorKind {
    /** The camera answered 401: wrong or missing credentials. Retrying will not help until they are fixed. */
    AUTHENTICATION_FAILED("authentication failed (401)"),
    /** The camera answered 404: wrong stream path. */
    NOT_FOUND("stream not found (404)"),
    /** Nothing accepts TCP connections at host:port (refused or unreachable). */
    CONNECTION_REFUSED("connection refused"),
    /** The camera stopped answering RTSP requests in time. */
    TIMEOUT("timeout"),
    /** Connected, but no frame arrived for the watchdog period. */
    NO_DATA("no data"),
    /** The peer does not speak RTSP/RTP correctly (garbage, unparsable answers). */
    PROTOCOL_ERROR("protocol error"),
    /** The stream is neither H.264 nor H.265. */
    UNSUPPORTED_CODEC("unsupported codec"),
    /** The camera ended the stream (EOS). */
    END_OF_STREAM("end of stream"),
    /** Anything else (GStreamer internal error, element missing...). */
    INTERNAL("internal error");

    private final String label;

    IngestErrorKind(String label) {
        this.label = label;
    }

    /** Short human-readable label, e.g. "authentication failed (401)". */
    public String label() {
        return label;
    }
}
