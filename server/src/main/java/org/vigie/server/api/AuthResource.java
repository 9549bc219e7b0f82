package org.vigie.server.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.AuthenticationException;
import org.vigie.server.auth.Authenticator;
import org.vigie.server.auth.Principal;
import org.vigie.server.http.ApiException;
import org.vigie.server.http.ApiResponse;
import org.vigie.server.http.RequestContext;

/** {@code /api/v1/auth}: login (public), logout, and {@code /api/v1/me}. Every login, good or bad, is audited. */
final class AuthResource {

    private final Authenticator authenticator;
    private final AuditLog audit;

    AuthResource(Authenticator authenticator, AuditLog audit) {
        this.authenticator = authenticator;
        this.audit = audit;
    }

    record LoginBody(String username, String password) {
        @Override
        public String toString() {
            return "LoginBody[" + username + "]";
        }
    }

    ApiResponse login(RequestContext ctx) throws ApiException, SQLException {
        LoginBody b = JsonBodies.read(ctx.request(), LoginBody.class);
        if (b.username() == null || b.password() == null || b.username().length() > 64
                || b.password().length() > 1024) {
            throw ApiException.badRequest("fields 'username' and 'password' are required (at most 64 and 1024 "
                    + "characters)");
        }
        try {
            Authenticator.Login login = authenticator.login(b.username(), b.password(),
                    org.vigie.server.auth.LoginThrottle.sourceOf(ctx.request().remote()));
            audit.append(b.username(), AuditAction.LOGIN, null, Map.of("remote", ctx.request().remote()));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("token", login.token());
            out.put("expires", login.expires());
            out.put("user", me(login.principal()));
            return ApiResponse.ok(out);
        } catch (AuthenticationException e) {
            audit.append(b.username(), AuditAction.LOGIN_FAILED, null, Map.of("remote", ctx.request().remote(),
                    "reason", e.reason().name().toLowerCase()));
            throw new ApiException(e.reason() == AuthenticationException.Reason.THROTTLED
                    ? HttpResponseStatus.TOO_MANY_REQUESTS : HttpResponseStatus.UNAUTHORIZED, e.getMessage());
        }
    }

    ApiResponse logout(RequestContext ctx) throws SQLException {
        authenticator.logout(ctx.request().authorization());
        audit.append(ctx.principal().username(), AuditAction.LOGOUT, null, Map.of());
        return ApiResponse.noContent();
    }

    ApiResponse me(RequestContext ctx) {
        return ApiResponse.ok(me(ctx.principal()));
    }

    static Map<String, Object> me(Principal p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", p.username());
        m.put("role", p.role().apiName());
        m.put("cameras", p.cameras().stream().sorted().toList());
        m.put("groups", p.groups().stream().sorted().toList());
        m.put("permissions", p.role().permissions().stream().map(x -> x.name().toLowerCase()).sorted().toList());
        return m;
    }
}
