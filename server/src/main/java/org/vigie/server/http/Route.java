package org.vigie.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.regex.Pattern;
import org.vigie.server.auth.Permission;

/**
 * One API route: method, path template ({@code /api/v1/cameras/{id}}), the permission it requires (null only for
 * the public {@code /healthz}) and its handler. A template variable matches one non-empty path segment.
 */
public record Route(HttpMethod method, String template, Permission permission, String summary, Handler handler) {

    private static final Pattern VAR = Pattern.compile("\\{[a-z][A-Za-z0-9]*}");

    public Route {
        if (!template.startsWith("/")) throw new IllegalArgumentException("template must start with /: " + template);
    }

    public boolean isPublic() {
        return permission == null;
    }

    public List<String> segments() {
        return List.of(template.substring(1).split("/", -1));
    }

    static boolean isVariable(String segment) {
        return VAR.matcher(segment).matches();
    }

    /** The logic of a route; runs on a worker thread. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(RequestContext ctx) throws Exception;
    }
}
