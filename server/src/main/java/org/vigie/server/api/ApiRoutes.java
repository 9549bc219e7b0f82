package org.vigie.server.api;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

import java.util.List;
import org.vigie.server.auth.Permission;
import org.vigie.server.http.Route;
import org.vigie.server.http.Router;

/**
 * The route table of the server, in one place: every route, its permission and its handler. The OpenAPI
 * document (server/src/main/resources/openapi.json) must list exactly these routes (a test checks it), and every
 * route but {@code /healthz} and the login requires authentication (a test enumerates them).
 */
public final class ApiRoutes {

    /** The routes that answer without authentication. */
    public static final List<String> PUBLIC = List.of("GET /healthz", "POST /api/v1/auth/login");

    private ApiRoutes() {
    }

    public static Router router(ApiServices s) {
        return router(s, List.of());
    }

    /** The table with the routes of other packages appended (e.g. the ONVIF routes of org.vigie.server.onvif). */
    public static Router router(ApiServices s, List<Route> more) {
        CameraAccess access = new CameraAccess(s.cameras());
        CameraResource cams = new CameraResource(access, s.cameraStore(), s.configCameraIds(), s.recorder(), s.audit(),
                s.metrics(), s.masksAtCamera(), s.clusterState());
        AuthResource auth = new AuthResource(s.authenticator(), s.audit());
        UserResource users = new UserResource(s.users(), s.authenticator(), s.audit(), s.clock());
        EventResource events = new EventResource(access, s.events(), s.bookmarks(), s.audit(), s.clock());
        AuditResource audit = new AuditResource(s.audit());
        LayoutResource layouts = new LayoutResource(s.layouts(), s.audit(), s.clock());
        SystemResource sys = new SystemResource(s.health(), s.metrics(), s.metricsEnabled(), access);
        String v1 = "/api/v1";
        List<Route> routes = new java.util.ArrayList<>(List.of(
                new Route(GET, "/healthz", null, "Liveness", sys::healthz),
                new Route(GET, "/metrics", Permission.SYSTEM_READ, "Prometheus metrics", sys::metrics),
                new Route(GET, v1 + "/openapi.json", Permission.AUTHENTICATED, "This API's OpenAPI document", sys::openapi),

                new Route(POST, v1 + "/auth/login", null, "Log in: a bearer token", auth::login),
                new Route(POST, v1 + "/auth/logout", Permission.AUTHENTICATED, "Revoke the token", auth::logout),
                new Route(GET, v1 + "/me", Permission.AUTHENTICATED, "The caller", auth::me),

                new Route(GET, v1 + "/cameras", Permission.CAMERA_READ, "Cameras the caller may see", cams::list),
                new Route(POST, v1 + "/cameras", Permission.CAMERA_ADMIN, "Add a camera", cams::create),
                new Route(GET, v1 + "/cameras/{id}", Permission.CAMERA_READ, "A camera", cams::get),
                new Route(PUT, v1 + "/cameras/{id}", Permission.CAMERA_ADMIN, "Replace a camera", cams::replace),
                new Route(DELETE, v1 + "/cameras/{id}", Permission.CAMERA_ADMIN, "Delete a camera", cams::delete),
                new Route(GET, v1 + "/cameras/{id}/state", Permission.CAMERA_READ, "A camera's state", cams::state),
                new Route(POST, v1 + "/cameras/{id}/enable", Permission.CAMERA_ADMIN, "Start recording",
                        c -> cams.setEnabled(c, true)),
                new Route(POST, v1 + "/cameras/{id}/disable", Permission.CAMERA_ADMIN, "Stop recording",
                        c -> cams.setEnabled(c, false)),

                new Route(GET, v1 + "/events", Permission.EVENTS_READ, "Search camera events", events::searchEvents),
                new Route(GET, v1 + "/bookmarks", Permission.CAMERA_READ, "Search bookmarks", events::searchBookmarks),
                new Route(POST, v1 + "/bookmarks", Permission.BOOKMARKS_WRITE, "Add a bookmark", events::addBookmark),
                new Route(DELETE, v1 + "/bookmarks/{bookmarkId}", Permission.BOOKMARKS_WRITE, "Delete a bookmark",
                        events::deleteBookmark),

                new Route(GET, v1 + "/layouts", Permission.LAYOUTS, "Saved wall layouts the caller may open",
                        layouts::list),
                new Route(POST, v1 + "/layouts", Permission.LAYOUTS, "Save a wall layout", layouts::create),
                new Route(GET, v1 + "/layouts/{layoutId}", Permission.LAYOUTS, "A saved wall layout", layouts::get),
                new Route(PUT, v1 + "/layouts/{layoutId}", Permission.LAYOUTS, "Change a saved wall layout",
                        layouts::replace),
                new Route(DELETE, v1 + "/layouts/{layoutId}", Permission.LAYOUTS, "Delete a saved wall layout",
                        layouts::delete),

                new Route(GET, v1 + "/roles", Permission.AUTHENTICATED, "Roles and their permissions", users::roles),
                new Route(GET, v1 + "/users", Permission.USERS_ADMIN, "Users", users::list),
                new Route(POST, v1 + "/users", Permission.USERS_ADMIN, "Add a user", users::create),
                new Route(GET, v1 + "/users/{name}", Permission.USERS_ADMIN, "A user", users::get),
                new Route(PUT, v1 + "/users/{name}", Permission.USERS_ADMIN, "Change a user", users::update),
                new Route(DELETE, v1 + "/users/{name}", Permission.USERS_ADMIN, "Delete a user", users::delete),
                new Route(GET, v1 + "/users/{name}/api-keys", Permission.USERS_ADMIN, "A user's API keys",
                        users::listKeys),
                new Route(POST, v1 + "/users/{name}/api-keys", Permission.USERS_ADMIN, "Create an API key",
                        users::createKey),
                new Route(DELETE, v1 + "/users/{name}/api-keys/{keyId}", Permission.USERS_ADMIN, "Revoke an API key",
                        users::deleteKey),

                new Route(GET, v1 + "/audit", Permission.AUDIT_READ, "Query the audit trail", audit::query),
                new Route(GET, v1 + "/audit/verify", Permission.AUDIT_READ, "Verify the audit chain", audit::verify)));
        routes.addAll(more);
        return new Router(routes);
    }
}
