package org.vigie.server.playback;

import org.vigie.server.onvif.SnapshotSource;

import static io.netty.handler.codec.http.HttpMethod.GET;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vigie.base.privacy.MaskSet;
import org.vigie.media.Frame;
import org.vigie.playback.MaskLift;
import org.vigie.playback.MaskRefusedException;
import org.vigie.server.privacy.MaskDecision;
import org.vigie.media.StreamKey;
import org.vigie.playback.Playback;
import org.vigie.playback.SnapshotService;
import org.vigie.recorder.retention.RecordingRegister;
import org.vigie.recorder.retention.RegisterEntry;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.TimeSpan;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Permission;
import org.vigie.server.auth.Principal;
import org.vigie.server.camera.Camera;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.http.ApiException;
import org.vigie.server.http.ApiRequest;
import org.vigie.server.http.ApiResponse;
import org.vigie.server.http.RequestContext;
import org.vigie.server.http.Route;
import org.vigie.server.store.BookmarkStore;
import org.vigie.server.store.EventStore;

/**
 * The archive timeline and snapshot routes of the API, to mount in its route table ({@link #routes()}):
 * <ul>
 *   <li>{@code GET /api/v1/cameras/{id}/recordings?from=&to=[&stream=]}: recorded spans and gaps (ISO-8601 UTC),
 *       with the camera's events and bookmarks over the range when those stores are given (archive view right);</li>
 *   <li>{@code GET /api/v1/cameras/{id}/snapshot.jpg[?at=][&stream=]}: a JPEG of the hub's last key frame (live
 *       view right) or of the key frame at or before {@code at} (archive view right), audited as a view.</li>
 * </ul>
 * Handlers run on the API's worker threads (blocking allowed). Thread-safe.
 */
public final class PlaybackResource {

    /** Longest timeline one request may ask for. */
    static final Duration MAX_TIMELINE = Duration.ofDays(31);
    static final int MAX_MARKS = 10_000;
    /** Longest reason, recipient or case number of an exported picture. */
    static final int MAX_TEXT = 1000;

    private final CameraRegistry cameras;
    private final ArchiveReader archive;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PlaybackResource.class);

    private final Playback playback;
    private final SnapshotSource cameraSnapshots;
    private final AuditLog audit;
    private final EventStore events;
    private final BookmarkStore bookmarks;
    private final InstantSource clock;
    private final RecordingRegister register;
    private final MaskDecision masks;
    /** In a cluster, the timeline across nodes and where bytes are (issue 13); null on a single node. */
    private final org.vigie.server.cluster.ClusterArchive clusterArchive;
    /** In a cluster, forwards a snapshot to the node that has the bytes; null on a single node. */
    private final org.vigie.server.cluster.NodeClient nodes;

    /** @param events   null when camera events are not stored
     *  @param bookmarks null when bookmarks are not stored
     *  @param register the law's register of exports (the JPEG of export.jpg is one), or null
     *  @param masks    the privacy masks in force, burned into every JPEG */
    public PlaybackResource(CameraRegistry cameras, ArchiveReader archive, Playback playback,
                            SnapshotSource cameraSnapshots, AuditLog audit, EventStore events,
                            BookmarkStore bookmarks, InstantSource clock, RecordingRegister register,
                            MaskDecision masks) {
        this(cameras, archive, playback, cameraSnapshots, audit, events, bookmarks, clock, register, masks, null, null);
    }

    /**
     * In a cluster (issue 13): the timeline merges every node's spans ({@code clusterArchive}) and a snapshot of a
     * camera whose bytes are on another node is asked of that node ({@code nodes}), checked and audited here.
     */
    public PlaybackResource(CameraRegistry cameras, ArchiveReader archive, Playback playback,
                            SnapshotSource cameraSnapshots, AuditLog audit, EventStore events,
                            BookmarkStore bookmarks, InstantSource clock, RecordingRegister register,
                            MaskDecision masks, org.vigie.server.cluster.ClusterArchive clusterArchive,
                            org.vigie.server.cluster.NodeClient nodes) {
        this.clusterArchive = clusterArchive;
        this.nodes = nodes;
        this.masks = masks;
        this.register = register;
        this.cameras = cameras;
        this.archive = archive;
        this.playback = playback;
        this.cameraSnapshots = cameraSnapshots;
        this.audit = audit;
        this.events = events;
        this.bookmarks = bookmarks;
        this.clock = clock;
    }

    /** The routes, for {@code ApiRoutes.router(services, more)}. */
    public List<Route> routes() {
        String v1 = "/api/v1";
        return List.of(
                new Route(GET, v1 + "/cameras/{id}/recordings", Permission.ARCHIVE_VIEW,
                        "Recorded spans and gaps, events and bookmarks of a time range", this::recordings),
                new Route(GET, v1 + "/cameras/{id}/snapshot.jpg", Permission.LIVE_VIEW,
                        "A JPEG of the camera, live or at a given time", this::snapshot),
                new Route(GET, v1 + "/cameras/{id}/export.jpg", Permission.EXPORT,
                        "The JPEG of the picture at a given time, exported with a reason and registered",
                        this::exportJpeg));
    }

    ApiResponse recordings(RequestContext ctx) throws Exception {
        Camera camera = require(ctx.principal(), Permission.ARCHIVE_VIEW, ctx.var("id"));
        ApiRequest r = ctx.request();
        Instant to = instant(r, "to", clock.instant());
        Instant from = instant(r, "from", to.minus(Duration.ofDays(1)));
        if (!to.isAfter(from)) throw ApiException.badRequest("'to' must be after 'from'");
        if (Duration.between(from, to).compareTo(MAX_TIMELINE) > 0) {
            throw ApiException.badRequest("a timeline covers at most " + MAX_TIMELINE.toDays() + " days");
        }
        StreamKey key = new StreamKey(camera.id(), stream(r));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("camera", camera.id());
        out.put("stream", key.stream());
        out.put("from", from);
        out.put("to", to);
        if (clusterArchive == null) {
            out.put("spans", spans(archive.spans(key, from, to)));
            out.put("gaps", spans(archive.gaps(key, from, to)));
        } else { // issue 13: every node's spans; those of a node that is down are gaps with their reason
            var merged = clusterArchive.timeline(key, from, to);
            List<Map<String, Object>> sp = new ArrayList<>();
            for (var s : merged.spans()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("start", s.start());
                m.put("end", s.end());
                m.put("nodes", s.nodes());
                sp.add(m);
            }
            List<Map<String, Object>> gp = new ArrayList<>();
            for (var g : merged.gaps()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("start", g.start());
                m.put("end", g.end());
                if (g.node() != null) {
                    m.put("node", g.node());
                    m.put("reason", g.reason());
                }
                gp.add(m);
            }
            out.put("spans", sp);
            out.put("gaps", gp);
        }
        if (events != null) {
            List<Map<String, Object>> ev = new ArrayList<>();
            for (EventStore.StoredEvent e : events.search(List.of(camera.id()), from, to, null, MAX_MARKS)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", e.id());
                m.put("time", e.time());
                m.put("type", e.type().name().toLowerCase());
                m.put("topic", e.topic());
                m.put("active", e.active());
                ev.add(m);
            }
            ev.sort((a, b) -> ((Instant) a.get("time")).compareTo((Instant) b.get("time")));
            out.put("events", ev);
        }
        if (bookmarks != null) {
            List<Map<String, Object>> bm = new ArrayList<>();
            for (BookmarkStore.Bookmark b : bookmarks.search(List.of(camera.id()), from, to, MAX_MARKS)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", b.id());
                m.put("time", b.time());
                m.put("durationSeconds", b.duration() == null ? null : b.duration().toMillis() / 1000.0);
                m.put("title", b.title());
                m.put("createdBy", b.createdBy());
                bm.add(m);
            }
            out.put("bookmarks", bm);
        }
        return ApiResponse.ok(out);
    }

    ApiResponse snapshot(RequestContext ctx) throws Exception {
        ApiRequest r = ctx.request();
        String at = r.param("at");
        boolean archived = at != null;
        Camera camera = require(ctx.principal(), archived ? Permission.ARCHIVE_VIEW : Permission.LIVE_VIEW, ctx.var("id"));
        String stream = stream(r);
        Frame key;
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("snapshot", true);
        detail.put("stream", stream);
        Optional<org.vigie.cluster.NodeInfo> holder = org.vigie.server.cluster.NodeCredentials.isNodeCall(
                r.authorization()) ? Optional.empty() // no second hop
                : snapshotHolder(camera, stream, archived ? instant(r, "at", null) : null);
        if (holder.isPresent()) { // issue 13: the bytes are on another node: asked there, checked and audited here
            byte[] jpeg = relayed(ctx, holder.get());
            detail.put("node", holder.get().id());
            if (archived) detail.put("at", r.param("at"));
            audit.append(ctx.principal().username(), archived ? AuditAction.ARCHIVE_VIEW : AuditAction.LIVE_VIEW,
                    camera.id(), detail);
            return new ApiResponse(HttpResponseStatus.OK, "image/jpeg", jpeg);
        }
        MaskSet inForce = masks(ctx, camera, "snapshot.jpg");
        detail.put("maskVersion", inForce.version());
        if (archived) {
            Instant t = instant(r, "at", null);
            key = playback.keyFrameAt(new StreamKey(camera.id(), stream), t)
                    .orElseThrow(() -> ApiException.notFound("nothing recorded at or before " + t));
            detail.put("at", t.toString());
        } else {
            // the camera's own JPEG cannot be masked here: a masked camera's snapshot is decoded and masked
            Optional<byte[]> own = inForce.isEmpty() ? cameraSnapshot(camera.id()) : Optional.empty();
            if (own.isPresent()) {
                detail.put("source", "camera");
                auditView(ctx, AuditAction.LIVE_VIEW, camera.id(), detail);
                return new ApiResponse(HttpResponseStatus.OK, "image/jpeg", own.get());
            }
            var hub = camera.hub(stream);
            if (hub == null) { // a disabled camera, or a stream it does not have: nothing to wait for (not a 5xx)
                throw ApiException.notFound("the " + stream + " stream of camera '" + camera.id() + "' is not pulled");
            }
            key = hub.lastKeyFrame();
            if (key == null) { // connecting: try again
                throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "camera '" + camera.id()
                        + "' is not streaming");
            }
        }
        detail.put("source", "decoded");
        detail.put("frame", Instant.ofEpochSecond(0, key.wallMicros() * 1000).toString());
        byte[] jpeg;
        try {
            jpeg = playback.snapshots().jpeg(key, inForce);
        } catch (SnapshotService.Busy e) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
        } catch (SnapshotService.TimedOut e) {
            throw new ApiException(HttpResponseStatus.GATEWAY_TIMEOUT, e.getMessage());
        }
        auditView(ctx, archived ? AuditAction.ARCHIVE_VIEW : AuditAction.LIVE_VIEW, camera.id(), detail);
        return new ApiResponse(HttpResponseStatus.OK, "image/jpeg", jpeg);
    }

    /** Audits a view, but not a node-to-node call's: the node the user asked audits it (issue 13). */
    private void auditView(RequestContext ctx, String action, String camera, Map<String, Object> detail)
            throws Exception {
        if (org.vigie.server.cluster.NodeCredentials.isNodeCall(ctx.request().authorization())) return;
        audit.append(ctx.principal().username(), action, camera, detail);
    }

    /**
     * In a cluster, the node to ask for a snapshot: live, the node recording the camera when this one does not
     * pull it; at a time, the node holding the minute before it when this one has nothing there. Empty: here.
     */
    private Optional<org.vigie.cluster.NodeInfo> snapshotHolder(Camera camera, String stream, Instant at)
            throws Exception {
        if (clusterArchive == null || nodes == null) return Optional.empty();
        if (at == null) {
            return camera.hub(stream) != null ? Optional.empty() : clusterArchive.liveHolder(camera.id());
        }
        return clusterArchive.holderOf(new StreamKey(camera.id(), stream), at.minusSeconds(60), at.plusMillis(1));
    }

    /** The same request asked of {@code holder} as this user; its refusal is this answer's. */
    private byte[] relayed(RequestContext ctx, org.vigie.cluster.NodeInfo holder) throws Exception {
        ApiRequest r = ctx.request();
        StringBuilder uri = new StringBuilder(r.path());
        char sep = '?';
        for (var e : r.query().entrySet()) {
            for (String v : e.getValue()) {
                uri.append(sep).append(java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8))
                        .append('=').append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        java.net.http.HttpResponse<java.io.InputStream> answer;
        try {
            answer = nodes.send(holder, "GET", uri.toString(), ctx.principal().username(), null,
                    Duration.ofSeconds(15));
        } catch (java.io.IOException e) {
            throw new ApiException(HttpResponseStatus.BAD_GATEWAY, "node " + holder.id() + " that has the camera's "
                    + "bytes did not answer: " + e.getMessage());
        }
        byte[] body;
        try (java.io.InputStream in = answer.body()) {
            body = in.readNBytes(16 * 1024 * 1024);
        }
        if (answer.statusCode() != 200) {
            String why = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            try {
                why = new com.fasterxml.jackson.databind.ObjectMapper().readTree(why).path("error").asText(why);
            } catch (Exception e) {
                // not JSON: said as is
            }
            throw new ApiException(HttpResponseStatus.valueOf(answer.statusCode()), "node " + holder.id() + ": " + why);
        }
        return body;
    }

    /**
     * {@code export.jpg?at=&reason=[&stream=][&recipient=][&case=]}: the exact picture recorded at {@code at} (the
     * last frame at or before it, decoded from its GOP's key frame), as an export: the export right on the camera,
     * a mandatory reason, audited as an export and written to the register of recordings (for video ticketing of
     * parking offences, the picture is evidence like a clip).
     */
    ApiResponse exportJpeg(RequestContext ctx) throws Exception {
        ApiRequest r = ctx.request();
        Camera camera = require(ctx.principal(), Permission.EXPORT, ctx.var("id"));
        String reason = r.param("reason");
        if (reason == null || reason.isBlank()) {
            throw ApiException.badRequest("an export needs a 'reason' (the law requires it)");
        }
        if (reason.length() > MAX_TEXT) throw ApiException.badRequest("reason too long");
        for (String field : List.of("recipient", "case")) {
            String v = r.param(field);
            if (v != null && v.length() > MAX_TEXT) throw ApiException.badRequest(field + " too long");
        }
        Instant t = instant(r, "at", null);
        String stream = stream(r);
        boolean nodeCall = org.vigie.server.cluster.NodeCredentials.isNodeCall(r.authorization());
        Optional<org.vigie.cluster.NodeInfo> holder = nodeCall ? Optional.empty() // no second hop
                : snapshotHolder(camera, stream, t == null ? Instant.now() : t);
        if (holder.isPresent()) { // issue 13: the picture is on another node: made there, audited here
            byte[] jpeg = relayed(ctx, holder.get()); // that node writes the register (cluster-wide), not the audit
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("format", "jpeg");
            detail.put("stream", stream);
            detail.put("at", String.valueOf(t));
            detail.put("bytes", jpeg.length);
            detail.put("node", holder.get().id());
            if (r.param("recipient") != null) detail.put("recipient", r.param("recipient"));
            if (r.param("case") != null) detail.put("case", r.param("case"));
            audit.export(ctx.principal().username(), camera.id(), reason, detail);
            return new ApiResponse(HttpResponseStatus.OK, "image/jpeg", jpeg);
        }
        MaskSet inForce = masks(ctx, camera, "export.jpg");
        List<Frame> gop = playback.framesUpTo(new StreamKey(camera.id(), stream), t);
        if (gop.isEmpty()) throw ApiException.notFound("nothing recorded at or before " + t);
        Frame shown = gop.get(gop.size() - 1);
        byte[] jpeg;
        try {
            jpeg = playback.snapshots().jpegOfLast(gop, inForce);
        } catch (SnapshotService.Busy e) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
        } catch (SnapshotService.TimedOut e) {
            throw new ApiException(HttpResponseStatus.GATEWAY_TIMEOUT, e.getMessage());
        }
        Instant frame = Instant.EPOCH.plus(shown.wallMicros(), java.time.temporal.ChronoUnit.MICROS);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("format", "jpeg");
        detail.put("stream", stream);
        detail.put("at", t.toString());
        detail.put("frame", frame.toString());
        detail.put("bytes", jpeg.length);
        detail.put("maskVersion", inForce.version());
        if (r.param("recipient") != null) detail.put("recipient", r.param("recipient"));
        if (r.param("case") != null) detail.put("case", r.param("case"));
        if (!nodeCall) audit.export(ctx.principal().username(), camera.id(), reason, detail); // else: audited there
        if (register != null) {
            register.recordExport(RegisterEntry.Kind.EXPORT, camera.id(), stream, frame, frame.plusMillis(1),
                    ctx.principal().username(), r.param("recipient"), r.param("case"), jpeg.length, inForce.version());
        }
        return new ApiResponse(HttpResponseStatus.OK, "image/jpeg", jpeg);
    }

    /**
     * The camera's own live snapshot (ONVIF GetSnapshotUri) when it has one; empty when it has none or it fails, so
     * that the caller falls back to decoding the latest key frame. Runs on the API's worker threads.
     */
    private Optional<byte[]> cameraSnapshot(String cameraId) {
        if (cameraSnapshots == null) return Optional.empty();
        try {
            return cameraSnapshots.snapshot(cameraId);
        } catch (Exception e) {
            LOG.debug("camera {}: own snapshot failed ({}), decoding the latest key frame", cameraId, e.toString());
            return Optional.empty();
        }
    }

    /** The privacy masks in force for the caller ({@code unmask=liftable} and {@code reason} ask for a lift). */
    private MaskSet masks(RequestContext ctx, Camera camera, String via) throws Exception {
        MaskLift lift;
        try {
            lift = MaskLift.of(ctx.request().param("unmask"), ctx.request().param("reason"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        try {
            return masks.inForce(ctx.principal(), camera.config(), lift, Map.of("via", via));
        } catch (MaskRefusedException e) {
            throw ApiException.forbidden(e.getMessage());
        }
    }

    private Camera require(Principal p, Permission permission, String id) throws ApiException {
        Optional<Camera> c = cameras.get(id);
        if (c.isEmpty()) throw ApiException.notFound("no camera '" + id + "'");
        if (!p.mayAccess(permission, c.get().config())) {
            throw ApiException.forbidden("no " + permission.name().toLowerCase() + " right on camera '" + id + "'");
        }
        return c.get();
    }

    private static String stream(ApiRequest r) throws ApiException {
        String s = Optional.ofNullable(r.param("stream")).orElse(StreamKey.MAIN);
        if (!s.equals(StreamKey.MAIN) && !s.equals(StreamKey.SUB)) {
            throw ApiException.badRequest("query parameter 'stream' must be main or sub");
        }
        return s;
    }

    private static Instant instant(ApiRequest r, String name, Instant def) throws ApiException {
        String v = r.param(name);
        if (v == null) {
            if (def == null) throw ApiException.badRequest("query parameter '" + name + "' is required");
            return def;
        }
        try {
            return org.vigie.base.InstantBounds.parse(v);
        } catch (java.time.DateTimeException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be "
                    + org.vigie.base.InstantBounds.EXPECTED);
        }
    }

    private static List<Map<String, Instant>> spans(List<TimeSpan> spans) {
        List<Map<String, Instant>> out = new ArrayList<>(spans.size());
        for (TimeSpan s : spans) {
            Map<String, Instant> m = new LinkedHashMap<>();
            m.put("start", s.start());
            m.put("end", s.end());
            out.add(m);
        }
        return out;
    }
}
