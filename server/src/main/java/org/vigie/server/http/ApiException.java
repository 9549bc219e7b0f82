package org.vigie.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the API refuses, with the HTTP status and a message meant for the client (never a secret). */
public final class ApiException extends Exception {

    private final HttpResponseStatus status;
    private final String camera;

    public ApiException(HttpResponseStatus status, String message) {
        this(status, message, null);
    }

    private ApiException(HttpResponseStatus status, String message, String camera) {
        super(message, null, false, false);
        this.status = status;
        this.camera = camera;
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** The camera a refusal is about, for the audit record of a 403 (null: the dispatcher finds it in the path). */
    public String camera() {
        return camera;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(HttpResponseStatus.FORBIDDEN, message);
    }

    /** A 403 about a camera the path does not name (a legal hold's, a bookmark's). */
    public static ApiException forbidden(String message, String camera) {
        return new ApiException(HttpResponseStatus.FORBIDDEN, message, camera);
    }

    public static ApiException conflict(String message) {
        return new ApiException(HttpResponseStatus.CONFLICT, message);
    }
}
