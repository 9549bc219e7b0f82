package org.vigie.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Authenticator;
import org.vigie.server.auth.Principal;

/**
 * Turns one request into one response, on a worker thread: checks the path, finds the route, authenticates the
 * caller (every route but the public ones), checks the route's permission, runs the handler and maps failures to
 * 4xx answers with a clear message. Every 403 is written to the audit trail with the user, route and camera.
 *
 * <p>Invariants: a non-public route never runs its handler without a principal holding its permission; a handler
 * exception that is not an {@link ApiException} is a server fault (500, logged with its stack trace, message not
 * echoed). Thread-safe (stateless); blocking.
 */
public final class ApiDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ApiDispatcher.class);

    private final Router router;
    private final Authenticator authenticator;
    private final AuditLog audit;
    private final Callers callers;

    public ApiDispatcher(Router router, Authenticator authenticator, AuditLog audit) {
        this(router, authenticator, audit, r -> authenticator.authenticate(r.authorization()));
    }

    /** @param callers who a request is from (in a cluster, node-to-node calls too) */
    public ApiDispatcher(Router router, Authenticator authenticator, AuditLog audit, Callers callers) {
        this.router = router;
        this.authenticator = authenticator;
        this.audit = audit;
        this.callers = callers;
    }

    public Router router() {
        return router;
    }

    public ApiResponse dispatch(ApiRequest request) {
        Principal principal = null;
        Router.Match match = null;
        try {
            checkPath(request.path());
            match = router.match(request.method(), request.path());
            Route route = match.route();
            if (!route.isPublic()) {
                Optional<Principal> p = callers.authenticate(request);
                if (p.isEmpty()) {
                    throw new ApiException(HttpResponseStatus.UNAUTHORIZED,
                            "authentication required: send 'Authorization: Bearer <token or API key>' "
                                    + "(POST /api/v1/auth/login gives a token)");
                }
                principal = p.get();
                if (!principal.has(route.permission())) {
                    throw ApiException.forbidden("your role (" + principal.role().apiName() + ") lacks the "
                            + route.permission().name().toLowerCase() + " permission");
                }
            }
            return route.handler().handle(new RequestContext(request, match.variables(), principal));
        } catch (ApiException e) {
            if (e.status().equals(HttpResponseStatus.FORBIDDEN) && principal != null) {
                auditDenied(request, principal, match, e.getMessage(), e.camera());
            }
            return ApiResponse.error(e.status(), e.getMessage());
        } catch (JsonProcessingException e) {
            return ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "malformed JSON: " + e.getOriginalMessage());
        } catch (Exception e) {
            LOG.error("{} {} failed", request.method(), request.path(), e);
            return ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error (see the server log)");
        }
    }

    private void auditDenied(ApiRequest request, Principal principal, Router.Match match, String why, String about) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("method", request.method().name());
        d.put("path", request.path());
        d.put("reason", why);
        d.put("remote", request.remote());
        String camera = about != null ? about : match == null ? null : match.variables().get("id") != null
                && match.route().template().startsWith("/api/v1/cameras/") ? match.variables().get("id")
                : request.query().containsKey("camera") ? request.query().get("camera").get(0) : null;
        try {
            audit.append(principal.username(), AuditAction.ACCESS_DENIED, camera, d);
        } catch (Exception e) {
            LOG.error("cannot write the audit trail", e);
        }
    }

    /** Refuses paths that could escape a folder or confuse a matcher: "..", backslashes, NUL, empty segments. */
    static void checkPath(String path) throws ApiException {
        if (path.isEmpty() || path.charAt(0) != '/' || path.length() > 1024) {
            throw ApiException.badRequest("invalid path");
        }
        for (int i = 0; i < path.length(); i++) {
            char ch = path.charAt(i);
            if (ch < 0x20 || ch == 0x7f || ch == '\\') throw ApiException.badRequest("invalid character in path");
        }
        for (String seg : path.substring(1).split("/", -1)) {
            if (seg.equals("..") || seg.equals(".")) throw ApiException.badRequest("path traversal refused");
        }
        if (path.contains("//")) throw ApiException.badRequest("empty path segment");
    }
}
