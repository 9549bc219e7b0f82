package org.vigie.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vigie.ingest.CameraStatus;
import org.vigie.ingest.IngestError;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.StreamStats;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Permission;
import org.vigie.server.camera.Camera;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.config.ConfigException;
import org.vigie.server.http.ApiException;
import org.vigie.server.http.ApiResponse;
import org.vigie.server.http.RequestContext;
import org.vigie.server.metrics.VmsMetrics;
import org.vigie.server.store.CameraDocuments;
import org.vigie.server.store.CameraStore;

/**
 * {@code /api/v1/cameras}: list (filtered to the user's grants), create, read, replace, delete, enable and disable
 * recording, and the live state of each camera.
 *
 * <p>Precedence: the cameras of the configuration file (source "config") are read-only through the API (409: edit
 * the file); the cameras created through the API (source "api") live in the database and are pulled at every
 * start. An API camera may not take the id of a configuration camera. Camera passwords are write-only: never
 * returned, never audited; a replacement without {@code password} keeps the stored one, unless it moves
 * {@code url} or {@code onvif} to another host, port or scheme (400: the stored password is never sent to a new
 * address unless given again).
 * Stream and ONVIF addresses and the camera's user name are shown to camera administrators only (operators do not
 * need them).
 *
 * <p>Thread-safety: changes are serialised on this object, so the database and the running registry never
 * disagree.
 */
final class CameraResource {

    private final CameraAccess access;
    private final CameraStore store;
    private final Set<String> configIds;
    private final Recorder recorder;
    private final AuditLog audit;
    private final VmsMetrics metrics;

    private final java.util.function.Function<String, java.util.Optional<
            org.vigie.server.privacy.CameraMaskPush.AtCamera>> masksAtCamera;
    private final java.util.function.Function<String, Map<String, Object>> clusterState;

    CameraResource(CameraAccess access, CameraStore store, Set<String> configIds, Recorder recorder, AuditLog audit,
                   VmsMetrics metrics, java.util.function.Function<String, java.util.Optional<
                           org.vigie.server.privacy.CameraMaskPush.AtCamera>> masksAtCamera) {
        this(access, store, configIds, recorder, audit, metrics, masksAtCamera, id -> Map.of());
    }

    /** @param clusterState what a cluster adds to a camera's state: {@code recordedBy}, and the recording node's state */
    CameraResource(CameraAccess access, CameraStore store, Set<String> configIds, Recorder recorder, AuditLog audit,
                   VmsMetrics metrics, java.util.function.Function<String, java.util.Optional<
                           org.vigie.server.privacy.CameraMaskPush.AtCamera>> masksAtCamera,
                   java.util.function.Function<String, Map<String, Object>> clusterState) {
        this.clusterState = clusterState;
        this.masksAtCamera = masksAtCamera;
        this.access = access;
        this.store = store;
        this.configIds = Set.copyOf(configIds);
        this.recorder = recorder;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** The body of POST and PUT: the keys of a camera entry of conf/vms.yaml, in camelCase. */
    record CameraBody(String id, String name, String url, String subUrl, Boolean recordSub, String username,
                      String password, String transport, Boolean enabled, String group, String retention,
                      String onvif, Boolean basicOverHttp, String engine, String tlsCaFile, Boolean tlsInsecure) {
    }

    ApiResponse list(RequestContext ctx) {
        List<Map<String, Object>> out = access.registry().list().stream()
                .filter(c -> ctx.principal().mayAccess(Permission.CAMERA_READ, c.config()))
                .map(c -> view(c, ctx.principal())).toList();
        return ApiResponse.ok(out);
    }

    ApiResponse get(RequestContext ctx) throws ApiException, SQLException {
        Camera c = access.require(ctx.principal(), Permission.CAMERA_READ, ctx.var("id"));
        audit.append(ctx.principal().username(), AuditAction.CAMERA_READ, c.id(), Map.of("what", "camera"));
        return ApiResponse.ok(view(c, ctx.principal()));
    }

    ApiResponse state(RequestContext ctx) throws ApiException, SQLException {
        Camera c = access.require(ctx.principal(), Permission.CAMERA_READ, ctx.var("id"));
        audit.append(ctx.principal().username(), AuditAction.CAMERA_READ, c.id(), Map.of("what", "state"));
        return ApiResponse.ok(stateView(c));
    }

    synchronized ApiResponse create(RequestContext ctx) throws ApiException, SQLException {
        CameraBody body = JsonBodies.read(ctx.request(), CameraBody.class);
        CameraConfig c = validate(body, null);
        if (configIds.contains(c.id()) || access.registry().get(c.id()).isPresent()) {
            throw ApiException.conflict("camera '" + c.id() + "' already exists");
        }
        store.save(c);
        Camera cam = access.registry().put(c);
        metrics.sync();
        audit.append(ctx.principal().username(), AuditAction.CONFIG_CHANGE, c.id(),
                Map.of("change", "camera.create", "camera", CameraDocuments.toNode(c, false)));
        return ApiResponse.json(HttpResponseStatus.CREATED, view(cam, ctx.principal()));
    }

    synchronized ApiResponse replace(RequestContext ctx) throws ApiException, SQLException {
        String id = ctx.var("id");
        Camera old = apiCamera(id);
        CameraBody body = JsonBodies.read(ctx.request(), CameraBody.class);
        if (body.id() != null && !body.id().equals(id)) {
            throw ApiException.badRequest("field 'id' (" + body.id() + ") differs from the path (" + id + ")");
        }
        CameraConfig c = validate(body, old.config());
        return apply(ctx, c, "camera.update");
    }

    synchronized ApiResponse setEnabled(RequestContext ctx, boolean enabled) throws ApiException, SQLException {
        CameraConfig c = apiCamera(ctx.var("id")).config().withEnabled(enabled);
        return apply(ctx, c, enabled ? "camera.enable" : "camera.disable");
    }

    synchronized ApiResponse delete(RequestContext ctx) throws ApiException, SQLException {
        String id = ctx.var("id");
        apiCamera(id);
        store.delete(id);
        access.registry().remove(id);
        metrics.sync();
        audit.append(ctx.principal().username(), AuditAction.CONFIG_CHANGE, id, Map.of("change", "camera.delete"));
        return ApiResponse.noContent();
    }

    private ApiResponse apply(RequestContext ctx, CameraConfig c, String change) throws SQLException {
        store.save(c);
        Camera cam = access.registry().put(c);
        metrics.sync();
        audit.append(ctx.principal().username(), AuditAction.CONFIG_CHANGE, c.id(),
                Map.of("change", change, "camera", CameraDocuments.toNode(c, false)));
        return ApiResponse.ok(view(cam, ctx.principal()));
    }

    /** A camera the API may change: it exists and is not from the configuration file. */
    private Camera apiCamera(String id) throws ApiException {
        Camera c = access.registry().get(id).orElseThrow(() -> ApiException.notFound("no camera '" + id + "'"));
        if (configIds.contains(id)) {
            throw ApiException.conflict("camera '" + id + "' is defined in the configuration file: change it there");
        }
        return c;
    }

    private static CameraConfig validate(CameraBody b, CameraConfig old) throws ApiException {
        if (old != null && b.password() == null && old.password() != null
                && (moved(b.url(), old.url()) || moved(b.onvif(), old.onvif()))) {
            throw ApiException.badRequest("field 'password' must be given again when 'url' or 'onvif' moves to "
                    + "another host: the stored password is never sent to a new address");
        }
        ObjectNode n = ApiResponse.JSON.createObjectNode();
        put(n, "id", old != null ? old.id() : b.id());
        put(n, "name", b.name());
        put(n, "url", b.url());
        put(n, "onvif", b.onvif());
        put(n, "sub-url", b.subUrl());
        if (b.recordSub() != null) n.put("record-sub", b.recordSub());
        put(n, "username", b.username());
        put(n, "password", b.password() != null ? b.password() : old != null ? old.password() : null);
        put(n, "transport", b.transport());
        if (b.enabled() != null) n.put("enabled", b.enabled());
        put(n, "group", b.group());
        put(n, "retention", b.retention());
        if (b.basicOverHttp() != null) n.put("basic-over-http", b.basicOverHttp());
        put(n, "engine", b.engine());
        put(n, "tls-ca-file", b.tlsCaFile());
        if (b.tlsInsecure() != null) n.put("tls-insecure", b.tlsInsecure());
        CameraConfig c;
        try {
            c = CameraDocuments.fromNode(n);
        } catch (ConfigException e) {
            throw ApiException.badRequest(camel(e.getMessage()));
        }
        checkTls(c);
        return c;
    }

    /**
     * The TLS options of the Java engine apply to {@code rtsps://} streams (or those an ONVIF camera will give), and
     * a CA file must be an absolute path to a readable PEM file holding at least one X.509 certificate, so that a
     * mistake is said now rather than as a failed handshake at each reconnection.
     */
    static void checkTls(CameraConfig c) throws ApiException {
        if (c.tlsCaFile() == null && !c.tlsInsecure()) return;
        boolean secure = c.onvif() != null || isRtsps(c.url()) || isRtsps(c.subUrl());
        if (!secure) {
            throw ApiException.badRequest("fields 'tlsCaFile' and 'tlsInsecure' apply to rtsps:// cameras only");
        }
        java.nio.file.Path f = c.tlsCaFile();
        if (f == null) return;
        if (!f.isAbsolute() || !java.nio.file.Files.isRegularFile(f) || !java.nio.file.Files.isReadable(f)) {
            throw ApiException.badRequest("field 'tlsCaFile' must be the absolute path of a readable file on the "
                    + "server: " + f);
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(f)) {
            if (java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw ApiException.badRequest("field 'tlsCaFile' holds no certificate: " + f);
            }
        } catch (java.io.IOException | java.security.cert.CertificateException e) {
            throw ApiException.badRequest("field 'tlsCaFile' is not a PEM file of X.509 certificates: " + f);
        }
    }

    private static boolean isRtsps(java.net.URI u) {
        return u != null && "rtsps".equalsIgnoreCase(u.getScheme());
    }

    /**
     * Whether a replacement sends the camera elsewhere: another scheme, host or port than the stored address (a
     * new path on the same camera is not; absent: the camera keeps none).
     */
    private static boolean moved(String given, java.net.URI stored) {
        if (given == null) return false;
        try {
            java.net.URI g = new java.net.URI(given.trim());
            return stored == null || !java.util.Objects.equals(g.getScheme(), stored.getScheme())
                    || g.getHost() == null || !g.getHost().equalsIgnoreCase(String.valueOf(stored.getHost()))
                    || g.getPort() != stored.getPort();
        } catch (java.net.URISyntaxException e) {
            return true; // refused by validation anyway
        }
    }

    private static void put(ObjectNode n, String key, String value) {
        if (value != null) n.put(key, value);
    }

    /** Config messages name kebab-case keys; the API's fields are camelCase. */
    private static String camel(String message) {
        return message.replace("sub-url", "subUrl").replace("record-sub", "recordSub")
                .replace("tls-ca-file", "tlsCaFile").replace("tls-insecure", "tlsInsecure")
                .replace("basic-over-http", "basicOverHttp");
    }

    private Map<String, Object> view(Camera c, org.vigie.server.auth.Principal viewer) {
        boolean admin = viewer.role().permissions().contains(Permission.CAMERA_ADMIN);
        CameraConfig cfg = c.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", cfg.id());
        m.put("name", cfg.name());
        m.put("source", configIds.contains(cfg.id()) ? "config" : "api");
        m.put("group", cfg.group());
        m.put("enabled", cfg.enabled());
        if (admin) {
            m.put("url", cfg.url() == null ? null : cfg.url().toString());
            m.put("onvif", cfg.onvif() == null ? null : cfg.onvif().toString());
            m.put("subUrl", cfg.subUrl() == null ? null : cfg.subUrl().toString());
        }
        // whether PTZ may be asked, without the ONVIF address (administrators only): the client shows its PTZ pad
        m.put("ptz", cfg.onvif() != null);
        m.put("recordSub", cfg.recordSub());
        if (admin) {
            m.put("username", cfg.username());
            m.put("hasPassword", cfg.password() != null);
            m.put("basicOverHttp", cfg.basicOverHttp());
            // the engine asked for (the request's 'engine'; null: ingest.engine); 'engine' below says the one in use
            m.put("engineChoice", cfg.engine() == null ? null : cfg.engine().name().toLowerCase());
            m.put("tlsCaFile", cfg.tlsCaFile() == null ? null : cfg.tlsCaFile().toString());
            m.put("tlsInsecure", cfg.tlsInsecure());
        }
        m.put("transport", cfg.transport() == null ? null : cfg.transport().name().toLowerCase());
        m.put("retention", org.vigie.server.config.Durations.format(cfg.retention()));
        m.put("streams", c.hubs().keySet().stream().sorted().toList());
        m.putAll(stateView(c));
        return m;
    }

    private Map<String, Object> stateView(Camera c) {
        Map<String, Object> m = new LinkedHashMap<>();
        CameraStatus s = c.mainStatus();
        // 'overloaded': streaming, but the recorder drops frames for lack of queue room (issue 17).
        boolean overloaded = c.state() == org.vigie.ingest.CameraState.STREAMING && recorder != null
                && recorder.stats(new org.vigie.media.StreamKey(c.id(), org.vigie.media.StreamKey.MAIN))
                        .map(StreamStats::overloaded).orElse(false);
        m.put("state", overloaded ? "overloaded" : c.state().name().toLowerCase());
        m.put("stateSince", s == null ? null : s.since());
        m.put("fps", s == null ? 0.0 : round(s.fps()));
        m.put("bitrate", s == null ? 0.0 : Math.round(s.bitrate()));
        m.put("frames", s == null ? 0 : s.frames());
        m.put("bytes", s == null ? 0 : s.bytes());
        m.put("framesLost", s == null ? 0 : s.framesDropped());
        m.put("reconnects", s == null ? 0 : s.reconnects());
        m.put("engine", s == null ? null : s.engine());
        IngestError e = s == null ? null : s.lastError();
        m.put("lastError", e == null ? null : Map.of("kind", e.kind().name().toLowerCase(), "detail",
                String.valueOf(e.detail()), "at", e.at()));
        // issue 13: in a cluster, the node recording the camera and, when it is another, that node's state of it
        // (this node does not pull it: its own state would say 'disabled'; rates and counters stay this node's)
        m.putAll(clusterState.apply(c.id()));
        StreamStats r = recorder.stats(StreamKey.main(c.id())).orElse(null);
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("framesWritten", r == null ? 0 : r.framesWritten());
        rec.put("bytesWritten", r == null ? 0 : r.bytesWritten());
        rec.put("fragments", r == null ? 0 : r.fragments());
        rec.put("segments", r == null ? 0 : r.segments());
        rec.put("framesDropped", r == null ? 0 : r.framesDropped());
        rec.put("writeErrors", r == null ? 0 : r.writeErrors());
        Instant last = r == null ? null : r.lastWrite();
        rec.put("lastWrite", last);
        m.put("recording", rec);
        // issue 14: whether the camera masks its own video (ONVIF Media2); null: not an ONVIF camera
        m.put("privacyMasksAtCamera", masksAtCamera.apply(c.id()).map(a -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("state", a.state().name().toLowerCase());
            p.put("version", a.version());
            p.put("masks", a.masks());
            p.put("detail", a.detail());
            p.put("since", a.since());
            return p;
        }).orElse(null));
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
