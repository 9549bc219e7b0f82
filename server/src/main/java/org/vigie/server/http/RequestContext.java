package org.vigie.server.http;

import java.util.Map;
import org.vigie.server.auth.Principal;

/**
 * What a route handler receives: the request, its path variables and the authenticated principal (null only on
 * public routes). Immutable.
 */
public record RequestContext(ApiRequest request, Map<String, String> pathVariables, Principal principal) {

    public RequestContext {
        pathVariables = Map.copyOf(pathVariables);
    }

    public String var(String name) {
        String v = pathVariables.get(name);
        if (v == null) throw new IllegalStateException("route has no variable " + name);
        return v;
    }
}
