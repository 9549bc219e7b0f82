package org.vigie.server.api;

import java.time.InstantSource;
import java.util.Set;
import org.vigie.recorder.storage.Recorder;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Authenticator;
import org.vigie.server.auth.UserStore;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.metrics.HealthCheck;
import org.vigie.server.metrics.VmsMetrics;
import org.vigie.server.privacy.CameraMaskPush;
import org.vigie.server.store.BookmarkStore;
import org.vigie.server.store.CameraStore;
import org.vigie.server.store.EventStore;
import org.vigie.server.store.LayoutStore;

/**
 * What the API's resources need, wired once by {@code VmsServer}.
 *
 * @param configCameraIds the ids of the cameras of the configuration file (read-only through the API)
 * @param masksAtCamera   whether a camera enforces its permanent privacy masks itself (issue 14)
 * @param clusterState    what a cluster adds to a camera's state (where it is recorded, and that node's state of
 *                        it, issue 13); an empty map on a single node
 */
public record ApiServices(CameraRegistry cameras, Set<String> configCameraIds, CameraStore cameraStore,
                          Recorder recorder, UserStore users, Authenticator authenticator, AuditLog audit,
                          EventStore events, BookmarkStore bookmarks, LayoutStore layouts, VmsMetrics metrics,
                          boolean metricsEnabled, HealthCheck health, InstantSource clock,
                          java.util.function.Function<String, java.util.Optional<CameraMaskPush.AtCamera>> masksAtCamera,
                          java.util.function.Function<String, java.util.Map<String, Object>> clusterState) {

    /** A single node (no cluster fields in a camera's state). */
    public ApiServices(CameraRegistry cameras, Set<String> configCameraIds, CameraStore cameraStore, Recorder recorder,
                       UserStore users, Authenticator authenticator, AuditLog audit, EventStore events,
                       BookmarkStore bookmarks, LayoutStore layouts, VmsMetrics metrics, boolean metricsEnabled,
                       HealthCheck health, InstantSource clock,
                       java.util.function.Function<String, java.util.Optional<CameraMaskPush.AtCamera>> masksAtCamera) {
        this(cameras, configCameraIds, cameraStore, recorder, users, authenticator, audit, events, bookmarks, layouts,
                metrics, metricsEnabled, health, clock, masksAtCamera, id -> java.util.Map.of());
    }

    /** Without privacy masks pushed to cameras (every camera's {@code privacyMasksAtCamera} is null). */
    public ApiServices(CameraRegistry cameras, Set<String> configCameraIds, CameraStore cameraStore, Recorder recorder,
                       UserStore users, Authenticator authenticator, AuditLog audit, EventStore events,
                       BookmarkStore bookmarks, LayoutStore layouts, VmsMetrics metrics, boolean metricsEnabled,
                       HealthCheck health, InstantSource clock) {
        this(cameras, configCameraIds, cameraStore, recorder, users, authenticator, audit, events, bookmarks, layouts,
                metrics, metricsEnabled, health, clock, id -> java.util.Optional.empty());
    }
}
