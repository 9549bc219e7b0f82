package org.vigie.server.privacy;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.PUT;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vigie.base.privacy.MaskSet;
import org.vigie.base.privacy.PrivacyMask;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Permission;
import org.vigie.server.auth.Principal;
import org.vigie.server.camera.Camera;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.http.ApiException;
import org.vigie.server.http.ApiResponse;
import org.vigie.server.http.RequestContext;
import org.vigie.server.http.Route;
import org.vigie.server.store.MaskStore;

/**
 * {@code /api/v1/cameras/{id}/masks} (issue 14): a camera's privacy masks.
 * <ul>
 *   <li>{@code GET}: the version in force, for a user who may watch the camera (live or archive view right): the
 *       client draws it;</li>
 *   <li>{@code PUT} (camera administrators): the whole set, {@code {"masks": [{"id", "kind": "permanent" |
 *       "liftable", "polygon": [[x, y], ...]}]}}, coordinates relative to the picture (0..1 from the top-left
 *       corner), 3 to {@value #MAX_POINTS} points, at most {@value #MAX_MASKS} masks of distinct ids; it makes the
 *       next version, audited ({@link AuditAction#MASKS_CHANGE}) with the version before and after;</li>
 *   <li>{@code GET .../masks/history} (camera administrators): every version, when it came into force, until when,
 *       and who made it.</li>
 * </ul>
 * Handlers run on the API's worker threads (blocking). Changes are serialised on this object so that the cache
 * ({@link StoredCameraMasks}) never goes back a version. Thread-safe.
 */
public final class MaskResource {

    static final int MAX_MASKS = 32;
    static final int MAX_POINTS = 64;
    private static final Set<String> BODY = Set.of("masks");
    private static final Set<String> MASK_FIELDS = Set.of("id", "kind", "polygon");

    private final CameraRegistry cameras;
    private final MaskStore store;
    private final StoredCameraMasks cache;
    private final AuditLog audit;
    private final InstantSource clock;

    private final CameraMaskPush push;

    public MaskResource(CameraRegistry cameras, MaskStore store, StoredCameraMasks cache, AuditLog audit,
                        InstantSource clock, CameraMaskPush push) {
        this.push = push;
        this.cameras = cameras;
        this.store = store;
        this.cache = cache;
        this.audit = audit;
        this.clock = clock;
    }

    /** The routes, for {@code ApiRoutes.router(services, more)}. */
    public List<Route> routes() {
        String v1 = "/api/v1";
        return List.of(
                new Route(GET, v1 + "/cameras/{id}/masks", Permission.CAMERA_READ,
                        "A camera's privacy masks in force (to viewers of the camera)", this::get),
                new Route(PUT, v1 + "/cameras/{id}/masks", Permission.CAMERA_ADMIN,
                        "Replace a camera's privacy masks (a new version)", this::replace),
                new Route(GET, v1 + "/cameras/{id}/masks/history", Permission.CAMERA_ADMIN,
                        "Every version of a camera's privacy masks", this::history));
    }

    ApiResponse get(RequestContext ctx) throws ApiException, SQLException {
        Camera c = camera(ctx.var("id"));
        Principal p = ctx.principal();
        if (!p.mayAccess(Permission.LIVE_VIEW, c.config()) && !p.mayAccess(Permission.ARCHIVE_VIEW, c.config())) {
            throw ApiException.forbidden("no live_view or archive_view right on camera '" + c.id() + "'");
        }
        MaskSet now = store.current(c.id());
        cache.changed(c.id(), now);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("camera", c.id());
        m.put("version", now.version());
        m.put("masks", MaskStore.toJson(now.masks()));
        m.put("unmask", p.mayUnmask(c.config()));
        return ApiResponse.ok(m);
    }

    synchronized ApiResponse replace(RequestContext ctx) throws ApiException, SQLException {
        Camera c = camera(ctx.var("id"));
        JsonNode body = ctx.request().jsonObject(BODY);
        List<PrivacyMask> masks = validate(body);
        MaskStore.Change change = store.replace(c.id(), masks, ctx.principal().username(), clock.instant());
        cache.written(c.id(), change.after().masks()); // in force here, announced to the other nodes
        if (push != null) push.changed(c.id());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("change", "masks.replace");
        d.put("before", versionDetail(change.before().masks()));
        d.put("after", versionDetail(change.after().masks()));
        audit.append(ctx.principal().username(), AuditAction.MASKS_CHANGE, c.id(), d);
        return ApiResponse.ok(view(change.after(), null));
    }

    ApiResponse history(RequestContext ctx) throws ApiException, SQLException {
        Camera c = camera(ctx.var("id"));
        List<MaskStore.Version> all = store.history(c.id());
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            out.add(view(all.get(i), i + 1 < all.size() ? all.get(i + 1).validFrom() : null));
        }
        return ApiResponse.ok(Map.of("camera", c.id(), "versions", out));
    }

    private Camera camera(String id) throws ApiException {
        return cameras.get(id).orElseThrow(() -> ApiException.notFound("no camera '" + id + "'"));
    }

    private static Map<String, Object> view(MaskStore.Version v, Instant validUntil) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("camera", v.camera());
        m.put("version", v.masks().version());
        m.put("validFrom", v.validFrom());
        m.put("validUntil", validUntil);
        m.put("changedBy", v.changedBy());
        m.put("masks", MaskStore.toJson(v.masks().masks()));
        return m;
    }

    private static Map<String, Object> versionDetail(MaskSet s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", s.version());
        m.put("masks", MaskStore.toJson(s.masks()));
        return m;
    }

    /** The masks of a PUT body; 400 naming the first wrong field. */
    static List<PrivacyMask> validate(JsonNode body) throws ApiException {
        if (body == null || !body.has("masks") || !body.get("masks").isArray()) {
            throw ApiException.badRequest("field 'masks' is required: an array of masks (empty: no mask)");
        }
        JsonNode arr = body.get("masks");
        if (arr.size() > MAX_MASKS) {
            throw ApiException.badRequest("field 'masks': at most " + MAX_MASKS + " masks per camera");
        }
        List<PrivacyMask> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < arr.size(); i++) {
            String at = "masks[" + i + "]";
            JsonNode m = arr.get(i);
            if (!m.isObject()) throw ApiException.badRequest("'" + at + "' must be an object (id, kind, polygon)");
            for (var it = m.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!MASK_FIELDS.contains(f)) {
                    throw ApiException.badRequest("'" + at + "': unknown field '" + f + "' (id, kind, polygon)");
                }
            }
            JsonNode id = m.get("id");
            if (id == null || !id.isTextual() || id.asText().isEmpty() || id.asText().length() > 64) {
                throw ApiException.badRequest("'" + at + ".id' must be a string of 1 to 64 characters");
            }
            if (!ids.add(id.asText())) {
                throw ApiException.badRequest("'" + at + ".id': '" + id.asText() + "' is used twice");
            }
            JsonNode kind = m.get("kind");
            PrivacyMask.Kind k;
            if (kind != null && kind.isTextual() && kind.asText().equals("permanent")) {
                k = PrivacyMask.Kind.PERMANENT;
            } else if (kind != null && kind.isTextual() && kind.asText().equals("liftable")) {
                k = PrivacyMask.Kind.LIFTABLE;
            } else {
                throw ApiException.badRequest("'" + at + ".kind' must be 'permanent' (never lifted: homes and their "
                        + "entrances) or 'liftable' (lifted with the unmask right and a reason)");
            }
            JsonNode poly = m.get("polygon");
            if (poly == null || !poly.isArray() || poly.size() < 3 || poly.size() > MAX_POINTS) {
                throw ApiException.badRequest("'" + at + ".polygon' must be an array of 3 to " + MAX_POINTS
                        + " points [x, y]");
            }
            List<PrivacyMask.Point> points = new ArrayList<>();
            for (int j = 0; j < poly.size(); j++) {
                JsonNode p = poly.get(j);
                String pat = at + ".polygon[" + j + "]";
                if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                    throw ApiException.badRequest("'" + pat + "' must be a point [x, y] of two numbers");
                }
                double x = p.get(0).asDouble();
                double y = p.get(1).asDouble();
                if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
                    throw ApiException.badRequest("'" + pat + "': x and y lie within 0..1 (relative to the picture's "
                            + "width and height, from its top-left corner): " + String.format(Locale.ROOT,
                            "[%s, %s]", p.get(0).asText(), p.get(1).asText()));
                }
                points.add(new PrivacyMask.Point(x, y));
            }
            out.add(new PrivacyMask(id.asText(), k, points));
        }
        return out;
    }
}
