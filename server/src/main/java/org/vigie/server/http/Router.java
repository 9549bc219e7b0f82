package org.vigie.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The route table: matches a method and a decoded path to one {@link Route}. 404 when no template matches the
 * path, 405 when templates match but not for this method. Literal segments win over variables (so
 * {@code /users/me} can coexist with {@code /users/{name}}). Immutable after construction; thread-safe.
 */
public final class Router {

    private final List<Route> routes;

    public Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
        Set<String> seen = new java.util.HashSet<>();
        for (Route r : routes) {
            if (!seen.add(r.method() + " " + r.template())) {
                throw new IllegalArgumentException("duplicate route " + r.method() + " " + r.template());
            }
        }
    }

    /** Every route, in table order (for the OpenAPI check and the authentication test). */
    public List<Route> routes() {
        return routes;
    }

    /** A matched route and its path variables. */
    public record Match(Route route, Map<String, String> variables) {
    }

    public Match match(HttpMethod method, String path) throws ApiException {
        String[] segs = path.length() <= 1 ? new String[] {""} : path.substring(1).split("/", -1);
        Match best = null;
        int bestLiterals = -1;
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            List<String> t = r.segments();
            if (t.size() != segs.length) continue;
            Map<String, String> vars = new HashMap<>();
            int literals = 0;
            boolean ok = true;
            for (int i = 0; i < segs.length && ok; i++) {
                String ts = t.get(i);
                if (Route.isVariable(ts)) {
                    if (segs[i].isEmpty()) ok = false;
                    else vars.put(ts.substring(1, ts.length() - 1), segs[i]);
                } else if (ts.equals(segs[i])) {
                    literals++;
                } else {
                    ok = false;
                }
            }
            if (!ok) continue;
            allowed.add(r.method().name());
            if (r.method().equals(method) && literals > bestLiterals) {
                best = new Match(r, vars);
                bestLiterals = literals;
            }
        }
        if (best != null) return best;
        if (!allowed.isEmpty()) {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + method + " not allowed on "
                    + path + " (allowed: " + String.join(", ", allowed) + ")");
        }
        throw ApiException.notFound("no such resource: " + path);
    }

    /** The templates by method, for documentation. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Route r : routes) out.add(r.method() + " " + r.template());
        return out;
    }
}
