package org.vigie.camera;

import java.util.Objects;

/**
 * A camera operation failed. The {@link Kind} tells the caller what to do about it: retry later
 * ({@code UNREACHABLE}, {@code TIMEOUT}), fix the configuration ({@code AUTHENTICATION}), or give up on the
 * operation for this camera ({@code SOAP_FAULT}, {@code MALFORMED}, {@code UNSUPPORTED}).
 */
public final class CameraDriverException extends Exception {

    /** Why a camera operation failed. */
    public enum Kind {
        /** No connection could be made (refused, no route, unknown host). */
        UNREACHABLE,
        /** The camera refused the credentials (HTTP 401, SOAP fault {@code ter:NotAuthorized}). */
        AUTHENTICATION,
        /** The camera accepted the connection but did not answer within the bounded time. */
        TIMEOUT,
        /** The camera answered with a SOAP fault other than an authentication one. */
        SOAP_FAULT,
        /** The answer could not be understood (not XML, refused DTD/entity, missing mandatory element). */
        MALFORMED,
        /** The camera does not offer the service or operation. */
        UNSUPPORTED
    }

    private final Kind kind;

    public CameraDriverException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public CameraDriverException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String getMessage() {
        return kind + ": " + super.getMessage();
    }
}
