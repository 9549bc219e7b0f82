package org.vigie.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A response to write: status, content type and body bytes. Immutable. */
public record ApiResponse(HttpResponseStatus status, String contentType, byte[] body) {

    /** The mapper of every JSON response: ISO-8601 instants. */
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public static ApiResponse json(HttpResponseStatus status, Object value) {
        try {
            return new ApiResponse(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response: " + e.getMessage(), e);
        }
    }

    public static ApiResponse ok(Object value) {
        return json(HttpResponseStatus.OK, value);
    }

    public static ApiResponse text(HttpResponseStatus status, String contentType, String text) {
        return new ApiResponse(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    public static ApiResponse noContent() {
        return new ApiResponse(HttpResponseStatus.NO_CONTENT, null, new byte[0]);
    }

    /** The error body of every 4xx/5xx: {@code {"status": 403, "error": "..."}}. */
    public static ApiResponse error(HttpResponseStatus status, String message) {
        return json(status, Map.of("status", status.code(), "error", message));
    }
}
