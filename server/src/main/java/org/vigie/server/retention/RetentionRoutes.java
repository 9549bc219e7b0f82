package org.vigie.server.retention;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

import java.time.InstantSource;
import java.util.List;
import org.vigie.recorder.storage.Recorder;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Permission;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.config.LegalHoldsConfig;
import org.vigie.server.http.Route;

/**
 * The issue #6 rows of the route table: legal holds, the register of recordings and the storage status
 * ({@code org.vigie.server.api.ApiRoutes} appends them to its own; openapi.json documents each).
 */
public final class RetentionRoutes {

    private RetentionRoutes() {
    }

    public static List<Route> routes(RetentionService retention, CameraRegistry cameras, Recorder recorder,
                                     AuditLog audit, InstantSource clock, LegalHoldsConfig holdLimits) {
        CameraScope scope = new CameraScope(cameras);
        HoldResource holds = new HoldResource(retention.holds(), scope, recorder.catalog(), audit, clock, holdLimits);
        RegisterResource register = new RegisterResource(retention.register(), scope, audit, clock);
        StorageResource storage = new StorageResource(retention.volumes(), recorder.catalog(), retention::sweeper,
                cameras);
        String v1 = "/api/v1";
        return List.of(
                new Route(GET, v1 + "/holds", Permission.HOLD, "Legal holds of granted cameras", holds::list),
                new Route(POST, v1 + "/holds", Permission.HOLD, "Put a camera's recordings under legal hold",
                        holds::create),
                new Route(POST, v1 + "/holds/{holdId}/extend", Permission.HOLD, "Move a legal hold's expiry later",
                        holds::extend),
                new Route(POST, v1 + "/holds/{holdId}/release", Permission.HOLD,
                        "End a legal hold (after the release grace period)",
                        holds::release),
                new Route(GET, v1 + "/register", Permission.REGISTER_READ,
                        "The register of recordings: destructions, exports, transmissions", register::query),
                new Route(GET, v1 + "/storage", Permission.SYSTEM_READ,
                        "Storage volumes and the retention sweeper's counters", storage::status));
    }
}
