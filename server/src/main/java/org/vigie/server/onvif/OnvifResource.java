package org.vigie.server.onvif;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.DiscoveredDevice;
import org.vigie.camera.Preset;
import org.vigie.camera.PtzCapabilities;
import org.vigie.camera.PtzPosition;
import org.vigie.camera.PtzStatus;
import org.vigie.camera.discovery.AddressRange;
import org.vigie.camera.onvif.OnvifPtz;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Permission;
import org.vigie.server.camera.Camera;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.http.ApiException;
import org.vigie.server.http.ApiResponse;
import org.vigie.server.http.RequestContext;

/**
 * The ONVIF routes of the API: discovery ({@code POST /api/v1/discovery}, administrators), a camera's ONVIF status,
 * and PTZ ({@code /api/v1/cameras/{id}/ptz/...}: continuous, absolute and relative moves, stop, presets), which needs
 * the PTZ permission on that camera (operators and above, by grant). Every PTZ command and every discovery is
 * written to the audit trail. Camera failures map to 502 (unreachable, refused credentials, SOAP fault), 504
 * (timeout) or 409 (the camera does not support the operation).
 *
 * <p>Handlers run on the API's worker threads and block for at most one camera exchange (the driver's timeout), or
 * the discovery window. Stateless; thread-safe.
 */
public final class OnvifResource {

    /** The audit action of a discovery (a network probe is worth a trace, though it changes nothing). */
    public static final String AUDIT_DISCOVERY = "discovery";

    private final OnvifCameras onvif;
    private final CameraDiscovery discovery;
    private final CameraRegistry cameras;
    private final AuditLog audit;

    /** @param discovery null when discovery is off (its interface does not exist): the route answers 503 */
    public OnvifResource(OnvifCameras onvif, CameraDiscovery discovery, CameraRegistry cameras, AuditLog audit) {
        this.onvif = onvif;
        this.discovery = discovery;
        this.cameras = cameras;
        this.audit = audit;
    }

    // ---- discovery ----

    ApiResponse discover(RequestContext ctx) throws ApiException, SQLException, InterruptedException {
        JsonNode body = optionalBody(ctx, Set.of("range", "timeoutMs"));
        Optional<AddressRange> range = Optional.empty();
        Optional<Duration> window = Optional.empty();
        if (body.has("range")) {
            try {
                range = Optional.of(AddressRange.parse(text(body, "range")));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("field 'range': " + e.getMessage());
            }
        }
        if (body.has("timeoutMs")) {
            long ms = integer(body, "timeoutMs", 100, CameraDiscovery.MAX_WINDOW.toMillis());
            window = Optional.of(Duration.ofMillis(ms));
        }
        if (discovery == null) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "discovery is off: the interface of discovery.interface does not exist on this machine");
        }
        List<DiscoveredDevice> found;
        try {
            found = discovery.discover(range, window);
        } catch (CameraDiscovery.Busy e) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
        } catch (CameraDriverException e) {
            throw failure(e);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("interface", discovery.interfaceName());
        detail.put("range", range.map(r -> body.get("range").asText()).orElse("multicast"));
        detail.put("found", found.size());
        audit.append(ctx.principal().username(), AUDIT_DISCOVERY, null, detail);
        return ApiResponse.ok(Map.of("interface", discovery.interfaceName(), "devices", found.stream().map(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("endpointReference", d.endpointReference());
            m.put("xAddrs", d.xAddrs().stream().map(Object::toString).toList());
            m.put("name", d.name());
            m.put("hardware", d.hardware());
            m.put("location", d.location());
            m.put("types", d.types());
            return m;
        }).toList()));
    }

    // ---- ONVIF status ----

    ApiResponse status(RequestContext ctx) throws ApiException {
        String id = camera(ctx, Permission.CAMERA_READ);
        return ApiResponse.ok(onvif.status(id).orElseThrow(() -> notOnvif(id)));
    }

    // ---- PTZ ----

    ApiResponse ptzStatus(RequestContext ctx) throws ApiException {
        String id = camera(ctx, Permission.PTZ);
        OnvifCameras.Ready r = ready(id);
        try {
            OnvifPtz ptz = r.driver().ptz();
            PtzCapabilities caps = ptz.capabilities();
            PtzStatus status = ptz.status(r.ptzProfile());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("profile", r.ptzProfile());
            m.put("capabilities", caps);
            m.put("position", status.position());
            m.put("moving", status.moving());
            return ApiResponse.ok(m);
        } catch (CameraDriverException e) {
            throw failure(e);
        }
    }

    ApiResponse continuous(RequestContext ctx) throws ApiException, SQLException {
        String id = camera(ctx, Permission.PTZ);
        JsonNode b = body(ctx, Set.of("pan", "tilt", "zoom", "timeoutMs"));
        PtzPosition velocity = vector(b, -1, 1, -1, 1);
        Optional<Duration> timeout = b.has("timeoutMs")
                ? Optional.of(Duration.ofMillis(integer(b, "timeoutMs", 1, 600_000))) : Optional.empty();
        OnvifCameras.Ready r = ready(id);
        try {
            r.driver().ptz().continuousMove(r.ptzProfile(), velocity, timeout);
        } catch (CameraDriverException e) {
            throw failure(e);
        }
        audit(ctx, id, "continuous", Map.of("velocity", velocity, "timeoutMs", timeout.map(Duration::toMillis).orElse(0L)));
        return ApiResponse.noContent();
    }

    ApiResponse stop(RequestContext ctx) throws ApiException, SQLException {
        String id = camera(ctx, Permission.PTZ);
        OnvifCameras.Ready r = ready(id);
        try {
            r.driver().ptz().stop(r.ptzProfile());
        } catch (CameraDriverException e) {
            throw failure(e);
        }
        audit(ctx, id, "stop", Map.of());
        return ApiResponse.noContent();
    }

    ApiResponse absolute(RequestContext ctx) throws ApiException, SQLException {
        String id = camera(ctx, Permission.PTZ);
        PtzPosition p = vector(body(ctx, Set.of("pan", "tilt", "zoom")), -1, 1, 0, 1);
        OnvifCameras.Ready r = ready(id);
        try {
            r.driver().ptz().absoluteMove(r.ptzProfile(), p);
        } catch (CameraDriverException e) {
            throw failure(e);
        }
        audit(ctx, id, "absolute", Map.of("position", p));
        return ApiResponse.noContent();
    }

    ApiResponse relative(RequestContext ctx) throws ApiException, SQLException {
        String id = camera(ctx, Permission.PTZ);
        PtzPosition t = vector(body(ctx, Set.of("pan", "tilt", "zoom")), -2, 2, -1, 1);
        OnvifCameras.Ready r = ready(id);
        try {
            r.driver().ptz().relativeMove(r.ptzProfile(), t);
        } catch (CameraDriverException e) {
            throw failure(e);
        }
        audit(ctx, id, "relative", Map.of("translation", t));
        return ApiResponse.noContent();
    }

    ApiResponse presets(RequestContext ctx) throws ApiException {
        String id = camera(ctx, Permission.PTZ);
        OnvifCameras.Ready r = ready(id);
        try {
            List<Preset> presets = r.driver().ptz().presets(r.ptzProfile());
            return ApiResponse.ok(presets.stream().map(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("token", p.token());
                m.put("name", p.name());
                m.put("position", p.position().orElse(null));
                return m;
            }).toList());
        } catch (CameraDriverException e) {
            throw failure(e);
        }
    }

    ApiResponse setPreset(RequestContext ctx) throws ApiException, SQLException {
        String id = camera(ctx, Permission.PTZ);
        String name = text(body(ctx, Set.of("name")), "name");
        if (name.isBlank() || name.length() > 64) {
            throw ApiException.badRequest("field 'name' must be 1 to 64 characters");
        }
        OnvifCameras.Ready r = ready(id);
        String token;
        try {
            token = r.driver().ptz().setPreset(r.ptzProfile(), name);
        } catch (CameraDriverException e) {
            throw failure(e);
        }
        audit(ctx, id, "preset.set", Map.of("name", name, "token", token));
        return ApiResponse.json(HttpResponseStatus.CREATED, Map.of("token", token, "name", name));
    }

    ApiResponse gotoPreset(RequestContext ctx) throws ApiException, SQLException {
        String id = camera(ctx, Permission.PTZ);
        String token = ctx.var("presetToken");
        OnvifCameras.Ready r = ready(id);
        try {
            r.driver().ptz().gotoPreset(r.ptzProfile(), token);
        } catch (CameraDriverException e) {
            throw failure(e);
        }
        audit(ctx, id, "preset.goto", Map.of("token", token));
        return ApiResponse.noContent();
    }

    // ---- helpers ----

    /** 404 for an unknown camera, 403 (audited by the dispatcher) without a grant on it. */
    private String camera(RequestContext ctx, Permission permission) throws ApiException {
        String id = ctx.var("id");
        Camera c = cameras.get(id).orElseThrow(() -> ApiException.notFound("no camera '" + id + "'"));
        if (!ctx.principal().mayAccess(permission, c.config())) {
            throw ApiException.forbidden("no right on camera '" + id + "'");
        }
        return id;
    }

    private OnvifCameras.Ready ready(String id) throws ApiException {
        try {
            return onvif.ready(id).orElseThrow(() -> notOnvif(id));
        } catch (CameraDriverException e) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }

    private static ApiException notOnvif(String id) {
        return ApiException.conflict("camera '" + id + "' has no ONVIF device service (give 'onvif' in its configuration)");
    }

    private void audit(RequestContext ctx, String camera, String op, Map<String, ?> detail) throws SQLException {
        Map<String, Object> d = new LinkedHashMap<>(detail);
        d.put("op", op);
        audit.append(ctx.principal().username(), AuditAction.PTZ, camera, d);
    }

    static ApiException failure(CameraDriverException e) {
        HttpResponseStatus status = switch (e.kind()) {
            case TIMEOUT -> HttpResponseStatus.GATEWAY_TIMEOUT;
            case UNSUPPORTED, SOAP_FAULT -> HttpResponseStatus.CONFLICT;
            case UNREACHABLE, AUTHENTICATION, MALFORMED -> HttpResponseStatus.BAD_GATEWAY;
        };
        return new ApiException(status, "camera: " + e.getMessage());
    }

    private static JsonNode body(RequestContext ctx, Set<String> known) throws ApiException {
        JsonNode n = optionalBody(ctx, known);
        if (n.isEmpty() && ctx.request().body().length == 0) {
            throw ApiException.badRequest("a JSON body is required");
        }
        return n;
    }

    private static JsonNode optionalBody(RequestContext ctx, Set<String> known) throws ApiException {
        JsonNode n = ctx.request().jsonObject(known);
        return n == null ? ApiResponse.JSON.createObjectNode() : n;
    }

    private static String text(JsonNode b, String field) throws ApiException {
        JsonNode v = b.get(field);
        if (v == null || !v.isTextual()) {
            throw ApiException.badRequest("field '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static long integer(JsonNode b, String field, long min, long max) throws ApiException {
        JsonNode v = b.get(field);
        if (v == null || !v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw ApiException.badRequest("field '" + field + "' must be an integer between " + min + " and " + max);
        }
        return v.asLong();
    }

    /** pan, tilt in [ptMin, ptMax], zoom in [zMin, zMax]; absent components are 0. */
    private static PtzPosition vector(JsonNode b, double ptMin, double ptMax, double zMin, double zMax)
            throws ApiException {
        return new PtzPosition(number(b, "pan", ptMin, ptMax), number(b, "tilt", ptMin, ptMax),
                number(b, "zoom", zMin, zMax));
    }

    private static double number(JsonNode b, String field, double min, double max) throws ApiException {
        JsonNode v = b.get(field);
        if (v == null) {
            return 0;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < min || v.asDouble() > max) {
            throw ApiException.badRequest("field '" + field + "' must be a number between " + min + " and " + max);
        }
        return v.asDouble();
    }
}
