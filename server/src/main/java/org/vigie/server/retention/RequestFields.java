package org.vigie.server.retention;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import org.vigie.base.InstantBounds;
import java.util.Set;
import org.vigie.server.http.ApiException;
import org.vigie.server.http.ApiRequest;
import org.vigie.server.http.ApiResponse;

/**
 * Strict reading of the retention routes' JSON bodies and query parameters: every failure is a 400 that names the
 * field. (The API package's own readers are package-private; the ONVIF routes keep their own copy likewise.)
 * Stateless.
 */
final class RequestFields {

    private final JsonNode body;

    private RequestFields(JsonNode body) {
        this.body = body;
    }

    /** The body as an object with only {@code known} fields; 400 when absent, malformed or with another field. */
    static RequestFields of(ApiRequest request, Set<String> known) throws ApiException {
        JsonNode n = request.jsonObject(known);
        if (n == null) {
            throw ApiException.badRequest("a JSON body is required");
        }
        return new RequestFields(n);
    }

    /** A string field of 1 to {@code max} non-blank characters. */
    String text(String field, int max) throws ApiException {
        String v = optionalText(field);
        if (v == null) {
            throw ApiException.badRequest("field '" + field + "' is required");
        }
        if (v.isBlank() || v.length() > max) {
            throw ApiException.badRequest("field '" + field + "' must be 1 to " + max + " characters");
        }
        return v;
    }

    /** A string field, or null when absent or JSON null. */
    String optionalText(String field) throws ApiException {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("field '" + field + "' must be a string");
        }
        return v.asText();
    }

    /** A required ISO-8601 UTC instant within {@link InstantBounds}. */
    Instant instant(String field) throws ApiException {
        String v = optionalText(field);
        if (v == null) {
            throw ApiException.badRequest("field '" + field + "' is required (an ISO-8601 UTC instant)");
        }
        try {
            return InstantBounds.parse(v);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("field '" + field + "' must be " + InstantBounds.EXPECTED);
        }
    }

    static Instant instantParam(ApiRequest r, String name, Instant def) throws ApiException {
        String v = r.param(name);
        if (v == null) {
            return def;
        }
        try {
            return InstantBounds.parse(v);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be " + InstantBounds.EXPECTED);
        }
    }

    static int intParam(ApiRequest r, String name, int def, int min, int max) throws ApiException {
        String v = r.param(name);
        if (v == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be an integer between " + min
                    + " and " + max);
        }
    }

    /** {@code true}, {@code false}, or null when absent. */
    static Boolean booleanParam(ApiRequest r, String name) throws ApiException {
        String v = r.param(name);
        if (v == null) {
            return null;
        }
        return switch (v) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiException.badRequest("query parameter '" + name + "' must be true or false");
        };
    }
}
