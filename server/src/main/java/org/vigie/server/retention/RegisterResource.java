package org.vigie.server.retention;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vigie.recorder.retention.RecordingRegister;
import org.vigie.recorder.retention.RegisterEntry;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Permission;
import org.vigie.server.auth.Principal;
import org.vigie.server.http.ApiException;
import org.vigie.server.http.ApiRequest;
import org.vigie.server.http.ApiResponse;
import org.vigie.server.http.RequestContext;

/**
 * {@code GET /api/v1/register}: the register of recordings the law requires (CSI art. L252-5 and the CNIL's
 * recommendations): each destruction (camera, stream, footage range, date, cause: retention, quota or manual) and
 * each export or transmission (who, to whom, case number), oldest first. Readable with REGISTER_READ
 * (administrators, and supervisors for the cameras they are granted); each read is audited.
 *
 * <p>The register is read one UTC day at a time, so a query holds at most one day of entries in memory whatever
 * its window; the window is at most {@link #MAX_WINDOW}. Handlers run on the API's worker threads; stateless.
 */
public final class RegisterResource {

    static final Duration DEFAULT_WINDOW = Duration.ofDays(1);
    /** Beyond the 30 days of the longest retention, a month of margin: older questions need several queries. */
    static final Duration MAX_WINDOW = Duration.ofDays(62);

    private final RecordingRegister register;
    private final CameraScope scope;
    private final AuditLog audit;
    private final InstantSource clock;

    RegisterResource(RecordingRegister register, CameraScope scope, AuditLog audit, InstantSource clock) {
        this.register = register;
        this.scope = scope;
        this.audit = audit;
        this.clock = clock;
    }

    /** One entry as the API shows it ({@code kind} and {@code camera} named as in the query). */
    record EntryView(String id, String kind, Instant at, String camera, String stream, Instant from, Instant to,
                     String cause, String actor, String recipient, String caseNumber, long segments, long bytes,
                     Long maskVersion) {

        static EntryView of(RegisterEntry e) {
            return new EntryView(e.id(), e.kind().name().toLowerCase(), e.at(), e.cameraId(), e.stream(), e.from(),
                    e.to(), e.cause(), e.actor(), e.recipient(), e.caseNumber(), e.segments(), e.bytes(),
                    e.maskVersion());
        }
    }

    ApiResponse query(RequestContext ctx) throws ApiException, IOException, SQLException {
        ApiRequest r = ctx.request();
        Principal p = ctx.principal();
        Instant to = RequestFields.instantParam(r, "to", clock.instant());
        Instant from = RequestFields.instantParam(r, "from", to.minus(DEFAULT_WINDOW));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("'from' must be before 'to'");
        }
        if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
            throw ApiException.badRequest("the window from 'from' to 'to' must be at most " + MAX_WINDOW.toDays()
                    + " days");
        }
        String camera = r.param("camera");
        RegisterEntry.Kind kind = kind(r.param("kind"));
        int limit = RequestFields.intParam(r, "limit", 500, 1, 10_000);
        if (camera != null) {
            scope.require(p, Permission.REGISTER_READ, camera);
        }
        List<EntryView> out = new ArrayList<>();
        for (Instant dayStart = from; dayStart.isBefore(to) && out.size() < limit; dayStart = nextDay(dayStart)) {
            Instant dayEnd = min(nextDay(dayStart), to);
            for (RegisterEntry e : register.query(dayStart, dayEnd, camera, kind, Integer.MAX_VALUE)) {
                if (out.size() >= limit) {
                    break;
                }
                if (camera != null || scope.permits(p, Permission.REGISTER_READ, e.cameraId())) {
                    out.add(EntryView.of(e));
                }
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("from", from.toString());
        d.put("to", to.toString());
        if (kind != null) {
            d.put("kind", kind.name().toLowerCase());
        }
        d.put("results", out.size());
        audit.append(p.username(), AuditAction.REGISTER_READ, camera, d);
        return ApiResponse.ok(out);
    }

    private static RegisterEntry.Kind kind(String v) throws ApiException {
        if (v == null) {
            return null;
        }
        for (RegisterEntry.Kind k : RegisterEntry.Kind.values()) {
            if (k.name().equalsIgnoreCase(v)) {
                return k;
            }
        }
        throw ApiException.badRequest("query parameter 'kind' must be one of destruction, export, transmission");
    }

    /** The start of the UTC day after the one of {@code t}. */
    private static Instant nextDay(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
