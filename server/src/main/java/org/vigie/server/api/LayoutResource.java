package org.vigie.server.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Permission;
import org.vigie.server.auth.Principal;
import org.vigie.server.auth.Role;
import org.vigie.server.http.ApiException;
import org.vigie.server.http.ApiResponse;
import org.vigie.server.http.RequestContext;
import org.vigie.server.store.LayoutStore;
import org.vigie.server.store.LayoutStore.Layout;

/**
 * {@code /api/v1/layouts}: the operators' saved wall layouts. Rules:
 * <ul>
 *   <li>a user sees the layouts they own and those shared with one of their groups (administrators: all); any
 *       other answers 404, as if it did not exist;</li>
 *   <li>saving needs {@link Permission#LAYOUTS}; sharing with a group needs {@link Permission#LAYOUT_SHARE} and,
 *       but for administrators, membership of that group (403 otherwise);</li>
 *   <li>only the owner (or an administrator) changes or deletes a layout; the owner never changes;</li>
 *   <li>a layout's cameras are not checked against the user's rights: a tile of a camera the viewer may not see
 *       shows "no right" (the stream refuses it), which is what a shared layout should tell;</li>
 *   <li>every change is audited ({@link AuditAction#LAYOUT_CHANGE}, with the layout as saved).</li>
 * </ul>
 * Stateless; thread-safe.
 */
final class LayoutResource {

    /** The wall layouts of the client and their number of tiles (web/.../js/layouts.js). */
    static final Map<String, Integer> GRIDS = Map.of("1", 1, "2x2", 4, "3x3", 9, "4x4", 16, "5x5", 25,
            "1+5", 6, "1+7", 8, "1+12", 13);
    static final int MAX_NAME = 100;
    private static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final LayoutStore store;
    private final AuditLog audit;
    private final InstantSource clock;

    LayoutResource(LayoutStore store, AuditLog audit, InstantSource clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /** The body of POST and PUT. */
    record LayoutBody(String name, String layout, List<String> cameras, String group) {
    }

    ApiResponse list(RequestContext ctx) throws SQLException {
        Principal p = ctx.principal();
        List<Layout> all = store.visibleTo(p.username(), p.role() == Role.ADMINISTRATOR ? null : p.groups());
        return ApiResponse.ok(all.stream().map(LayoutResource::view).toList());
    }

    ApiResponse get(RequestContext ctx) throws ApiException, SQLException {
        return ApiResponse.ok(view(visible(ctx)));
    }

    ApiResponse create(RequestContext ctx) throws ApiException, SQLException {
        LayoutBody b = validate(ctx, JsonBodies.read(ctx.request(), LayoutBody.class));
        Layout l = store.create(ctx.principal().username(), b.name(), b.group(), b.layout(), b.cameras(),
                clock.instant());
        audit(ctx, "layout.create", l);
        return ApiResponse.json(HttpResponseStatus.CREATED, view(l));
    }

    ApiResponse replace(RequestContext ctx) throws ApiException, SQLException {
        Layout old = owned(ctx);
        LayoutBody b = validate(ctx, JsonBodies.read(ctx.request(), LayoutBody.class));
        Layout l = store.update(old.id(), b.name(), b.group(), b.layout(), b.cameras(), clock.instant())
                .orElseThrow(() -> ApiException.notFound("no layout " + old.id()));
        audit(ctx, "layout.update", l);
        return ApiResponse.ok(view(l));
    }

    ApiResponse delete(RequestContext ctx) throws ApiException, SQLException {
        Layout old = owned(ctx);
        store.delete(old.id());
        audit(ctx, "layout.delete", old);
        return ApiResponse.noContent();
    }

    private Layout visible(RequestContext ctx) throws ApiException, SQLException {
        long id = Params.longValue(ctx.var("layoutId"), "layout id");
        Principal p = ctx.principal();
        Layout l = store.get(id).orElse(null);
        boolean sees = l != null && (p.role() == Role.ADMINISTRATOR || l.owner().equals(p.username())
                || (l.group() != null && p.groups().contains(l.group())));
        if (!sees) throw ApiException.notFound("no layout " + id);
        return l;
    }

    private Layout owned(RequestContext ctx) throws ApiException, SQLException {
        Layout l = visible(ctx);
        Principal p = ctx.principal();
        if (p.role() != Role.ADMINISTRATOR && !l.owner().equals(p.username())) {
            throw ApiException.forbidden("layout " + l.id() + " belongs to " + l.owner() + ": only its owner or an "
                    + "administrator may change it");
        }
        return l;
    }

    private static LayoutBody validate(RequestContext ctx, LayoutBody b) throws ApiException {
        if (b.name() == null || b.name().isBlank() || b.name().length() > MAX_NAME) {
            throw ApiException.badRequest("field 'name' must be 1 to " + MAX_NAME + " characters");
        }
        Integer tiles = b.layout() == null ? null : GRIDS.get(b.layout());
        if (tiles == null) {
            throw ApiException.badRequest("field 'layout' must be one of " + new java.util.TreeSet<>(GRIDS.keySet()));
        }
        List<String> cameras = new ArrayList<>(b.cameras() == null ? List.of() : b.cameras());
        if (cameras.size() > tiles) {
            throw ApiException.badRequest("field 'cameras': " + cameras.size() + " cameras for a layout of " + tiles
                    + " tiles");
        }
        for (int i = 0; i < cameras.size(); i++) {
            String c = cameras.get(i);
            if (c != null && c.isEmpty()) cameras.set(i, null);
            else if (c != null && !CAMERA_ID.matcher(c).matches()) {
                throw ApiException.badRequest("field 'cameras[" + i + "]' is not a camera id");
            }
        }
        while (cameras.size() < tiles) cameras.add(null);
        String group = b.group() == null || b.group().isBlank() ? null : b.group();
        if (group != null) {
            Principal p = ctx.principal();
            if (!p.has(Permission.LAYOUT_SHARE)) {
                throw ApiException.forbidden("sharing a layout needs the layout_share right");
            }
            if (p.role() != Role.ADMINISTRATOR && !p.groups().contains(group)) {
                throw ApiException.forbidden("a layout may be shared only with a group of one's own");
            }
        }
        return new LayoutBody(b.name().strip(), b.layout(), cameras, group);
    }

    private void audit(RequestContext ctx, String change, Layout l) throws SQLException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("change", change);
        d.put("id", l.id());
        d.put("name", l.name());
        d.put("layout", l.layout());
        d.put("group", l.group() == null ? "" : l.group());
        d.put("cameras", l.cameras().stream().map(c -> c == null ? "" : c).toList());
        audit.append(ctx.principal().username(), AuditAction.LAYOUT_CHANGE, null, d);
    }

    static Map<String, Object> view(Layout l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.id());
        m.put("name", l.name());
        m.put("owner", l.owner());
        m.put("group", l.group());
        m.put("layout", l.layout());
        m.put("cameras", l.cameras());
        m.put("created", l.created());
        m.put("updated", l.updated());
        return m;
    }
}
