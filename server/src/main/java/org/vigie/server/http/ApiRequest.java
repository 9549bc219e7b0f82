package org.vigie.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;

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
}
