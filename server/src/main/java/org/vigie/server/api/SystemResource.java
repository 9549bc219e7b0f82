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

/** {@code /healthz} (public liveness), {@code /metrics} (Prometheus) and {@code /api/v1/openapi.json}. */
final class SystemResource {

    /** The OpenAPI document, kept in the repository at server/src/main/resources/openapi.json, served as is. */
    static final String OPENAPI_RESOURCE = "/openapi.json";

    private final HealthCheck health;
    private final VmsMetrics metrics;
    private final boolean metricsEnabled;
    private final byte[] openapi;

    SystemResource(HealthCheck health, VmsMetrics metrics, boolean metricsEnabled) {
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
        return ApiResponse.text(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
    }

    ApiResponse openapi(RequestContext ctx) {
        return new ApiResponse(HttpResponseStatus.OK, "application/json; charset=utf-8", openapi);
    }
}
