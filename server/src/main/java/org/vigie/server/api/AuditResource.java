package org.vigie.server.api;

import java.sql.SQLException;
import java.util.Map;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.audit.AuditVerification;
import org.vigie.server.http.ApiException;
import org.vigie.server.http.ApiResponse;
import org.vigie.server.http.RequestContext;

/** {@code /api/v1/audit}: administrators query the trail (filtered, paged by sequence) and verify its chain. */
final class AuditResource {

    private final AuditLog audit;

    AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    ApiResponse query(RequestContext ctx) throws ApiException, SQLException {
        var r = ctx.request();
        var records = audit.query(Params.instant(r, "from", null), Params.instant(r, "to", null), r.param("user"),
                r.param("camera"), r.param("action"), Params.integer(r, "after", 0, 0, Integer.MAX_VALUE),
                Params.integer(r, "limit", 100, 1, 1000));
        audit.append(ctx.principal().username(), AuditAction.AUDIT_READ, null, Map.of("results", records.size()));
        return ApiResponse.ok(records);
    }

    ApiResponse verify(RequestContext ctx) throws SQLException {
        AuditVerification v = audit.verify();
        return ApiResponse.ok(Map.of("intact", v.intact(), "records", v.records(), "brokenSeq", v.brokenSeq(),
                "message", v.toString()));
    }
}
