package org.vigie.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request as the worker threads see it: copied out of Netty's buffers on the event loop, so that it owns no
 * reference-counted memory. Immutable.
 *
 * @param path  the decoded path, without query
 * @param query the decoded query parameters
 */
public record ApiRequest(HttpMethod method, String path, Map<String, List<String>> query, String authorization,
                         String contentType, byte[] body, String remote) {

    public ApiRequest {
        query = Map.copyOf(query);
    }

    /** The single value of a query parameter, or null; several values are refused. */
    public String param(String name) throws ApiException {
        List<String> v = query.get(name);
        if (v == null || v.isEmpty()) return null;
        if (v.size() > 1) throw ApiException.badRequest("query parameter '" + name + "' given more than once");
        return v.get(0);
    }

    /**
     * The body as a JSON object holding only {@code known} fields, or null when the body is empty; 400 when it is
     * malformed, not an object, or has another field (named in the message, with the known ones).
     */
    public JsonNode jsonObject(Set<String> known) throws ApiException {
        if (body.length == 0) {
            return null;
        }
        JsonNode n;
        try {
            n = ApiResponse.JSON.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("malformed JSON");
        }
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest("the JSON body must be an object");
        }
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw ApiException.badRequest("unknown field '" + f + "' (known fields: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
        return n;
    }
}
