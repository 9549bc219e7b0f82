package org.vigie.server.retention;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.vigie.media.StreamKey;
import org.vigie.recorder.retention.HoldRegistry;
import org.vigie.recorder.retention.LegalHold;
import org.vigie.recorder.storage.Catalog;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Permission;
import org.vigie.server.auth.Principal;
import org.vigie.server.auth.Role;
import org.vigie.server.config.Durations;
import org.vigie.server.config.LegalHoldsConfig;
import org.vigie.server.http.ApiException;
import org.vigie.server.http.ApiResponse;
import org.vigie.server.http.RequestContext;

/**
 * {@code /api/v1/holds}: legal holds (evidence locks) put on a camera's recordings by a supervisor or an
 * administrator with the HOLD right on that camera. A hold keeps every recording of the camera within
 * {@code [from, to)} (all its streams: the {@code stream} field of a creation is checked and audited, but the hold
 * is wider, never narrower) until it is released or expires, whatever the retention and the free space.
 *
 * <p>Bounds ({@link LegalHoldsConfig}): dates within {@link org.vigie.base.InstantBounds}, a window of at most
 * {@code legal-holds.max-span}, an expiry at most {@code legal-holds.max-expiry} from now (creation and extension).
 * A release needs the administrator role or to be the hold's creator, and takes effect
 * {@code legal-holds.release-grace} later: until then the footage stays held.
 *
 * <p>Invariants: every creation, extension and release is in the audit trail with the user, the camera, the hold id
 * and the case number (a release also with its mandatory reason and when it takes effect), written after the hold
 * journal has the change on disk; a refused request changes nothing (a 403 is audited by the dispatcher).
 * Non-administrators see and change only holds of configured cameras they are granted. Handlers run on the API's
 * worker threads; stateless apart from the injected, thread-safe registry.
 */
public final class HoldResource {

    /** Longest case number and reason, as {@link LegalHold} accepts them. */
    static final int CASE_MAX = 64;
    static final int REASON_MAX = 500;

    private final HoldRegistry holds;
    private final CameraScope scope;
    private final Catalog catalog;
    private final AuditLog audit;
    private final InstantSource clock;
    private final LegalHoldsConfig limits;

    /** @param catalog the recorder's catalog: an administrator may hold the footage left by a deleted camera */
    HoldResource(HoldRegistry holds, CameraScope scope, Catalog catalog, AuditLog audit, InstantSource clock,
                 LegalHoldsConfig limits) {
        this.limits = limits;
        this.holds = holds;
        this.scope = scope;
        this.catalog = catalog;
        this.audit = audit;
        this.clock = clock;
    }

    /** A hold as the API shows it. */
    record HoldView(String id, String camera, Instant from, Instant to, String caseNumber, String reason,
                    Instant expires, boolean active, String createdBy, Instant createdAt, Instant releasedAt,
                    String releasedBy, Instant releaseEffective) {

        static HoldView of(LegalHold h, Instant now) {
            return new HoldView(h.id(), h.cameraId(), h.from(), h.to(), h.caseNumber(), h.reason(), h.expires(),
                    h.active(now), h.createdBy(), h.createdAt(), h.releasedAt(), h.releasedBy(), h.releaseEffective());
        }
    }

    ApiResponse list(RequestContext ctx) throws ApiException {
        Principal p = ctx.principal();
        String camera = ctx.request().param("camera");
        Boolean active = RequestFields.booleanParam(ctx.request(), "active");
        if (camera != null) {
            scope.require(p, Permission.HOLD, camera);
        }
        Instant now = clock.instant();
        List<HoldView> out = holds.all().stream()
                .filter(h -> camera == null || camera.equals(h.cameraId()))
                .filter(h -> active == null || h.active(now) == active)
                .filter(h -> scope.permits(p, Permission.HOLD, h.cameraId()))
                .map(h -> HoldView.of(h, now)).toList();
        return ApiResponse.ok(out);
    }

    ApiResponse create(RequestContext ctx) throws ApiException, IOException, SQLException {
        RequestFields b = RequestFields.of(ctx.request(),
                Set.of("camera", "stream", "from", "to", "caseNumber", "reason", "expires"));
        String camera = b.text("camera", 128);
        Principal p = ctx.principal();
        if (!scope.configured(camera) && p.role() == Role.ADMINISTRATOR && !recorded(camera)) {
            throw ApiException.notFound("no camera '" + camera + "' (neither configured nor recorded)");
        }
        scope.require(p, Permission.HOLD, camera);
        String stream = b.optionalText("stream");
        if (stream != null && !stream.equals(StreamKey.MAIN) && !stream.equals(StreamKey.SUB)) {
            throw ApiException.badRequest("field 'stream' must be 'main' or 'sub' (a hold covers every stream of "
                    + "the camera)");
        }
        Instant from = b.instant("from");
        Instant to = b.instant("to");
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("field 'from' must be before field 'to'");
        }
        if (Duration.between(from, to).compareTo(limits.maxSpan()) > 0) {
            throw ApiException.badRequest("a hold covers at most " + Durations.format(limits.maxSpan())
                    + " of footage (legal-holds.max-span): fields 'from' and 'to' are " + Duration.between(from, to)
                    .toDays() + " days apart");
        }
        String caseNumber = b.text("caseNumber", CASE_MAX);
        String reason = b.text("reason", REASON_MAX);
        Instant expires = b.instant("expires");
        Instant now = clock.instant();
        if (!expires.isAfter(now)) {
            throw ApiException.badRequest("field 'expires' must be in the future (now is " + now + ")");
        }
        checkExpiry(expires, now);
        LegalHold h;
        try {
            h = holds.create(camera, from, to, caseNumber, reason, expires, p.username());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Map<String, Object> d = detail(h);
        if (stream != null) {
            d.put("stream", stream);
        }
        d.put("from", from.toString());
        d.put("to", to.toString());
        d.put("expires", expires.toString());
        d.put("reason", reason);
        audit.append(p.username(), AuditAction.HOLD_CREATE, camera, d);
        return ApiResponse.json(HttpResponseStatus.CREATED, HoldView.of(h, clock.instant()));
    }

    ApiResponse extend(RequestContext ctx) throws ApiException, IOException, SQLException {
        LegalHold h = visibleHold(ctx);
        Instant expires = RequestFields.of(ctx.request(), Set.of("expires")).instant("expires");
        Instant now = clock.instant();
        if (!h.active(now)) {
            throw ApiException.conflict("legal hold " + h.id() + " is no longer active (released or expired)");
        }
        if (!expires.isAfter(h.expires())) {
            throw ApiException.badRequest("field 'expires' must be later than the hold's current expiry "
                    + h.expires());
        }
        checkExpiry(expires, now);
        LegalHold after = apply(() -> holds.extend(h.id(), expires, ctx.principal().username()));
        Map<String, Object> d = detail(after);
        d.put("previousExpires", h.expires().toString());
        d.put("expires", after.expires().toString());
        audit.append(ctx.principal().username(), AuditAction.HOLD_EXTEND, h.cameraId(), d);
        return ApiResponse.ok(HoldView.of(after, clock.instant()));
    }

    ApiResponse release(RequestContext ctx) throws ApiException, IOException, SQLException {
        LegalHold h = visibleHold(ctx);
        Principal p = ctx.principal();
        if (p.role() != Role.ADMINISTRATOR && !p.username().equals(h.createdBy())) {
            throw ApiException.forbidden("legal hold " + h.id() + " was created by '" + h.createdBy() + "': only its "
                    + "creator or an administrator may release it", h.cameraId());
        }
        String reason = RequestFields.of(ctx.request(), Set.of("reason")).text("reason", REASON_MAX);
        if (!h.active(clock.instant()) || h.released()) {
            throw ApiException.conflict("legal hold " + h.id() + " is no longer active (released or expired)");
        }
        LegalHold after = apply(() -> holds.release(h.id(), p.username(), limits.releaseGrace()));
        Map<String, Object> d = detail(after);
        d.put("reason", reason);
        d.put("effective", after.releaseEffective().toString());
        audit.append(ctx.principal().username(), AuditAction.HOLD_RELEASE, h.cameraId(), d);
        return ApiResponse.ok(HoldView.of(after, clock.instant()));
    }

    /** The hold of the path; 404 also when it is on a camera the caller cannot know of, 403 without the grant. */
    private LegalHold visibleHold(RequestContext ctx) throws ApiException {
        String id = ctx.var("holdId");
        LegalHold h = holds.get(id).orElseThrow(() -> ApiException.notFound("no legal hold '" + id + "'"));
        if (!scope.permits(ctx.principal(), Permission.HOLD, h.cameraId())) {
            if (!scope.configured(h.cameraId())) {
                throw ApiException.notFound("no legal hold '" + id + "'");
            }
            throw ApiException.forbidden("no right on camera '" + h.cameraId() + "' of legal hold " + id,
                    h.cameraId());
        }
        return h;
    }

    /** An expiry at most {@code legal-holds.max-expiry} from now. */
    private void checkExpiry(Instant expires, Instant now) throws ApiException {
        if (expires.isAfter(now.plus(limits.maxExpiry()))) {
            throw ApiException.badRequest("field 'expires' must be at most " + Durations.format(limits.maxExpiry())
                    + " from now (legal-holds.max-expiry), that is before " + now.plus(limits.maxExpiry()));
        }
    }

    private boolean recorded(String camera) {
        return catalog.streams().stream().anyMatch(k -> k.cameraId().equals(camera));
    }

    private static Map<String, Object> detail(LegalHold h) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("hold", h.id());
        d.put("caseNumber", h.caseNumber());
        return d;
    }

    /** A registry change; its refusals (a race with another change or the expiry) become 4xx. */
    private static LegalHold apply(Change change) throws ApiException, IOException {
        try {
            return change.run();
        } catch (NoSuchElementException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (IllegalStateException e) {
            throw ApiException.conflict(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Change {
        LegalHold run() throws IOException;
    }
}
