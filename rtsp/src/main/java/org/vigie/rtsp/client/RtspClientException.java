package org.vigie.rtsp.client;

/**
 * Why an RTSP client session ended, classified as an operator (and the engine choosing between Java and GStreamer)
 * would act on it. The message never contains credentials.
 */
public final class RtspClientException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The class of failure. */
    public enum Kind {
        /** Nothing accepts TCP connections at host:port. */
        CONNECTION_REFUSED(false),
        /** No connection, answer or TLS handshake in time. */
        TIMEOUT(false),
        /** The connection broke (reset, unreachable). */
        NETWORK(false),
        /** 401 with the credentials given, or credentials needed and none given. */
        AUTHENTICATION_FAILED(false),
        /** 404. */
        NOT_FOUND(false),
        /** Another error status (5xx, 403, ...). */
        STATUS(false),
        /** Malformed answers or media. */
        PROTOCOL_ERROR(false),
        /** An answer or access unit beyond the library's bounds. */
        LIMIT_EXCEEDED(false),
        /** The TLS handshake failed (untrusted certificate, wrong host name...). */
        TLS(false),
        /** The camera closed the connection or said BYE. */
        END_OF_STREAM(false),
        /** The camera offers nothing the Java client receives (codec, transport, payload mode, auth scheme). */
        UNSUPPORTED(true),
        /** A bug: an unexpected exception. */
        INTERNAL(false);

        private final boolean unsupported;

        Kind(boolean unsupported) {
            this.unsupported = unsupported;
        }

        /** True when another engine (GStreamer) may succeed where this client cannot. */
        public boolean unsupported() {
            return unsupported;
        }
    }

    private final Kind kind;
    private final int status;

    public RtspClientException(Kind kind, String message) {
        this(kind, message, 0, null);
    }

    public RtspClientException(Kind kind, String message, int status, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** The RTSP status of the answer that failed the session, or 0. */
    public int status() {
        return status;
    }

    @Override
    public String toString() {
        return kind + ": " + getMessage();
    }
}
