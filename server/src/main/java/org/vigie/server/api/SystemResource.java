package org.vigie.server.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.vigie.server.http.ApiException;
import org.vigie.server.http.ApiResponse;
import org.vigie.server.http.RequestContext;
import org.vigie.server.metrics.HealthCheck;
import org.vigie.server.metrics.VmsMetrics;

/**
 * {@code /healthz} (public liveness), {@code /metrics} (Prometheus: the samples of the cameras the caller may read,
 * every sample for camera administrators) and {@code /api/v1/openapi.json}.
 */
final class SystemResource {

    /** The OpenAPI document, kept in the repository at server/src/main/resources/openapi.json, served as is. */
    static final String OPENAPI_RESOURCE = "/openapi.json";

    private final HealthCheck health;
    private final VmsMetrics metrics;
    private final boolean metricsEnabled;
    private final byte[] openapi;

    private final CameraAccess access;

    SystemResource(HealthCheck health, VmsMetrics metrics, boolean metricsEnabled, CameraAccess access) {
        this.access = access;
        this.health = health;
        this.metrics = metrics;
        this.metricsEnabled = metricsEnabled;
        this.openapi = loadOpenApi();
    }

    static byte[] loadOpenApi() {
        try (InputStream in = SystemResource.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) throw new IllegalStateException("openapi.json missing from the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    ApiResponse healthz(RequestContext ctx) {
        HealthCheck.Health h = health.check();
        return h.healthy() ? ApiResponse.ok(Map.of("status", "ok"))
                : ApiResponse.json(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("status", "unhealthy",
                "problems", h.problems()));
    }

    ApiResponse metrics(RequestContext ctx) throws ApiException {
        if (!metricsEnabled) throw ApiException.notFound("metrics are disabled (metrics.enabled: false)");
        String text = metrics.scrape();
        org.vigie.server.auth.Principal p = ctx.principal();
        if (!p.role().permissions().contains(org.vigie.server.auth.Permission.CAMERA_ADMIN)) {
            text = onlyCameras(text, java.util.Set.copyOf(access.visibleIds(p,
                    org.vigie.server.auth.Permission.CAMERA_READ)));
        }
        return ApiResponse.text(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", text);
    }

    private static final java.util.regex.Pattern CAMERA_LABEL =
            java.util.regex.Pattern.compile("[{,]camera=\"([^\"]*)\"");

    /**
     * The exposition without the samples of cameras outside {@code visible} (a camera's id, state and traffic are
     * for those granted it): an integrator granted some cameras sees theirs and the server-wide figures.
     */
    static String onlyCameras(String exposition, java.util.Set<String> visible) {
        StringBuilder out = new StringBuilder(exposition.length());
        for (String line : exposition.split("\n", -1)) {
            java.util.regex.Matcher m = CAMERA_LABEL.matcher(line);
            if (!line.startsWith("#") && m.find() && !visible.contains(m.group(1))) continue;
            out.append(line).append('\n');
        }
        if (out.length() > 0) out.setLength(out.length() - 1); // split(-1) gave one more piece than lines
        return out.toString();
    }

    ApiResponse openapi(RequestContext ctx) {
        return new ApiResponse(HttpResponseStatus.OK, "application/json; charset=utf-8", openapi);
    }
}
