package org.vigie.server.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Authenticator;
import org.vigie.server.auth.Role;
import org.vigie.server.auth.UserRecord;
import org.vigie.server.auth.UserStore;
import org.vigie.server.http.ApiException;
import org.vigie.server.http.ApiResponse;
import org.vigie.server.http.RequestContext;

/**
 * {@code /api/v1/users} and {@code /api/v1/roles}: named users, their role and camera grants (by camera id or by
 * group), and API keys (shown once at creation). Passwords are hashed with Argon2id and never returned or audited.
 */
final class UserResource {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final UserStore users;
    private final Authenticator authenticator;
    private final AuditLog audit;
    private final InstantSource clock;

    UserResource(UserStore users, Authenticator authenticator, AuditLog audit, InstantSource clock) {
        this.users = users;
        this.authenticator = authenticator;
        this.audit = audit;
        this.clock = clock;
    }

    record UserBody(String username, String password, String role, List<String> cameras, List<String> groups,
                    List<String> unmask, List<String> unmaskGroups) {
        @Override
        public String toString() {
            return "UserBody[" + username + "]";
        }
    }

    record ApiKeyBody(String name) {
    }

    ApiResponse list(RequestContext ctx) throws SQLException {
        return ApiResponse.ok(users.list().stream().map(UserResource::view).toList());
    }

    ApiResponse get(RequestContext ctx) throws SQLException, ApiException {
        return ApiResponse.ok(view(find(ctx.var("name"))));
    }

    ApiResponse create(RequestContext ctx) throws ApiException, SQLException {
        UserBody b = JsonBodies.read(ctx.request(), UserBody.class);
        if (b.username() == null || !NAME.matcher(b.username()).matches()) {
            throw ApiException.badRequest("field 'username' must be 1-64 letters, digits, '.', '_', '@' or '-'");
        }
        String hash = authenticator.hasher().hash(password(b.password(), true));
        Role role = role(b.role());
        UserRecord u = new UserRecord(b.username(), role, grants(b.cameras(), "cameras"), grants(b.groups(), "groups"),
                hash, 0, 0, 0, grants(b.unmask(), "unmask"), grants(b.unmaskGroups(), "unmaskGroups"));
        if (!users.create(u, clock.millis())) {
            throw ApiException.conflict("user '" + b.username() + "' already exists");
        }
        audit.append(ctx.principal().username(), AuditAction.USER_CHANGE, null, Map.of("change", "user.create",
                "user", u.username(), "role", role.apiName(), "cameras", u.cameras(), "groups", u.groups(), "unmask", u.unmask(),
                "unmaskGroups", u.unmaskGroups()));
        return ApiResponse.json(HttpResponseStatus.CREATED, view(u));
    }

    ApiResponse update(RequestContext ctx) throws ApiException, SQLException {
        String name = ctx.var("name");
        UserRecord old = find(name);
        UserBody b = JsonBodies.read(ctx.request(), UserBody.class);
        if (b.username() != null && !b.username().equals(name)) {
            throw ApiException.badRequest("field 'username' differs from the path");
        }
        Role role = b.role() == null ? old.role() : role(b.role());
        Set<String> cams = b.cameras() == null ? old.cameras() : grants(b.cameras(), "cameras");
        Set<String> groups = b.groups() == null ? old.groups() : grants(b.groups(), "groups");
        Set<String> unmask = b.unmask() == null ? old.unmask() : grants(b.unmask(), "unmask");
        Set<String> unmaskGroups = b.unmaskGroups() == null ? old.unmaskGroups()
                : grants(b.unmaskGroups(), "unmaskGroups");
        if (old.role() == Role.ADMINISTRATOR && role != Role.ADMINISTRATOR && lastAdministrator(name)) {
            throw ApiException.conflict("'" + name + "' is the last administrator");
        }
        String hash = b.password() == null ? null : authenticator.hasher().hash(password(b.password(), true));
        users.update(name, role, cams, groups, unmask, unmaskGroups, hash);
        audit.append(ctx.principal().username(), AuditAction.USER_CHANGE, null, Map.of("change", "user.update",
                "user", name, "role", role.apiName(), "cameras", cams, "groups", groups, "unmask", unmask,
                "unmaskGroups", unmaskGroups, "passwordChanged", hash != null));
        return ApiResponse.ok(view(find(name)));
    }

    ApiResponse delete(RequestContext ctx) throws ApiException, SQLException {
        String name = ctx.var("name");
        UserRecord u = find(name);
        if (u.role() == Role.ADMINISTRATOR && lastAdministrator(name)) {
            throw ApiException.conflict("'" + name + "' is the last administrator");
        }
        users.delete(name);
        audit.append(ctx.principal().username(), AuditAction.USER_CHANGE, null, Map.of("change", "user.delete",
                "user", name));
        return ApiResponse.noContent();
    }

    ApiResponse listKeys(RequestContext ctx) throws ApiException, SQLException {
        String name = find(ctx.var("name")).username();
        return ApiResponse.ok(users.apiKeys(name).stream().map(k -> Map.of("id", k.id(), "name", k.name(),
                "created", java.time.Instant.ofEpochMilli(k.createdMillis()))).toList());
    }

    ApiResponse createKey(RequestContext ctx) throws ApiException, SQLException {
        String name = find(ctx.var("name")).username();
        ApiKeyBody b = JsonBodies.read(ctx.request(), ApiKeyBody.class);
        if (b.name() == null || b.name().isBlank() || b.name().length() > 100) {
            throw ApiException.badRequest("field 'name' is required (1-100 characters)");
        }
        Authenticator.ApiKey k = authenticator.createApiKey(name, b.name());
        audit.append(ctx.principal().username(), AuditAction.USER_CHANGE, null, Map.of("change", "apikey.create",
                "user", name, "keyId", k.id(), "name", k.name()));
        return ApiResponse.json(HttpResponseStatus.CREATED, Map.of("id", k.id(), "name", k.name(), "key", k.key()));
    }

    ApiResponse deleteKey(RequestContext ctx) throws ApiException, SQLException {
        String name = find(ctx.var("name")).username();
        String id = ctx.var("keyId");
        if (!users.deleteApiKey(name, id)) throw ApiException.notFound("no API key '" + id + "' for '" + name + "'");
        audit.append(ctx.principal().username(), AuditAction.USER_CHANGE, null, Map.of("change", "apikey.delete",
                "user", name, "keyId", id));
        return ApiResponse.noContent();
    }

    ApiResponse roles(RequestContext ctx) {
        return ApiResponse.ok(Arrays.stream(Role.values()).map(r -> Map.of("role", r.apiName(), "permissions",
                r.permissions().stream().map(p -> p.name().toLowerCase()).sorted().toList(),
                "cameraScoped", r != Role.ADMINISTRATOR)).toList());
    }

    private boolean lastAdministrator(String name) throws SQLException {
        return users.list().stream().filter(u -> u.role() == Role.ADMINISTRATOR)
                .allMatch(u -> u.username().equals(name));
    }

    private UserRecord find(String name) throws SQLException, ApiException {
        return users.find(name).orElseThrow(() -> ApiException.notFound("no user '" + name + "'"));
    }

    private static String password(String p, boolean required) throws ApiException {
        if (p == null && required) throw ApiException.badRequest("field 'password' is required");
        if (p.length() < 8 || p.length() > 1024) {
            throw ApiException.badRequest("field 'password' must be 8 to 1024 characters");
        }
        return p;
    }

    private static Role role(String s) throws ApiException {
        if (s == null) throw ApiException.badRequest("field 'role' is required");
        try {
            return Role.fromApiName(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field 'role': " + e.getMessage());
        }
    }

    private static Set<String> grants(List<String> list, String field) throws ApiException {
        if (list == null) return Set.of();
        if (list.size() > 10_000) throw ApiException.badRequest("field '" + field + "': too many entries");
        for (String s : list) {
            if (s == null || s.isBlank() || s.length() > 64) {
                throw ApiException.badRequest("field '" + field + "': entries must be 1-64 characters");
            }
        }
        return Set.copyOf(list);
    }

    static Map<String, Object> view(UserRecord u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", u.username());
        m.put("role", u.role().apiName());
        m.put("cameras", u.cameras().stream().sorted().toList());
        m.put("groups", u.groups().stream().sorted().toList());
        m.put("unmask", u.unmask().stream().sorted().toList());
        m.put("unmaskGroups", u.unmaskGroups().stream().sorted().toList());
        m.put("lockedUntil", u.lockedUntil() > 0 ? java.time.Instant.ofEpochMilli(u.lockedUntil()) : null);
        return m;
    }
}
