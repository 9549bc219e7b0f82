package org.vigie.server.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.vigie.camera.CameraEvent;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Permission;
import org.vigie.server.http.ApiException;
import org.vigie.server.http.ApiResponse;
import org.vigie.server.http.RequestContext;
import org.vigie.server.store.BookmarkStore;
import org.vigie.server.store.EventStore;

/**
 * {@code /api/v1/events} (search by camera, time window and type) and {@code /api/v1/bookmarks}. Without a
 * {@code camera} parameter the search covers the cameras the user is granted; with one the user needs a grant on
 * it (else 403, audited). Every search is audited (of one camera, or of all the granted ones), and so is every
 * bookmark added or deleted.
 */
final class EventResource {

    private static final Duration DEFAULT_WINDOW = Duration.ofDays(1);

    private final CameraAccess access;
    private final EventStore events;
    private final BookmarkStore bookmarks;
    private final AuditLog audit;
    private final InstantSource clock;

    EventResource(CameraAccess access, EventStore events, BookmarkStore bookmarks, AuditLog audit,
                  InstantSource clock) {
        this.access = access;
        this.events = events;
        this.bookmarks = bookmarks;
        this.audit = audit;
        this.clock = clock;
    }

    record BookmarkBody(String camera, String time, Long durationSeconds, String title) {
    }

    ApiResponse searchEvents(RequestContext ctx) throws ApiException, SQLException {
        Window w = window(ctx);
        CameraEvent.Type type = Params.enumValue(ctx.request(), "type", CameraEvent.Type.class);
        int limit = Params.integer(ctx.request(), "limit", 100, 1, 1000);
        List<String> cams = cameras(ctx, Permission.EVENTS_READ);
        List<EventStore.StoredEvent> found = events.search(cams, w.from, w.to, type, limit);
        String camera = ctx.request().param("camera");
        Map<String, Object> detail = new java.util.LinkedHashMap<>();
        detail.put("from", w.from.toString());
        detail.put("to", w.to.toString());
        if (type != null) detail.put("type", type.name().toLowerCase(java.util.Locale.ROOT));
        if (camera == null) detail.put("cameras", cams.size());
        detail.put("results", found.size());
        audit.append(ctx.principal().username(), AuditAction.EVENTS_SEARCH, camera, detail);
        return ApiResponse.ok(found);
    }

    ApiResponse searchBookmarks(RequestContext ctx) throws ApiException, SQLException {
        Window w = window(ctx);
        int limit = Params.integer(ctx.request(), "limit", 100, 1, 1000);
        return ApiResponse.ok(bookmarks.search(cameras(ctx, Permission.CAMERA_READ), w.from, w.to, limit));
    }

    ApiResponse addBookmark(RequestContext ctx) throws ApiException, SQLException {
        BookmarkBody b = JsonBodies.read(ctx.request(), BookmarkBody.class);
        if (b.camera() == null || b.time() == null || b.title() == null) {
            throw ApiException.badRequest("fields 'camera', 'time' and 'title' are required");
        }
        access.require(ctx.principal(), Permission.BOOKMARKS_WRITE, b.camera());
        Instant time;
        try {
            time = org.vigie.base.InstantBounds.parse(b.time());
        } catch (java.time.DateTimeException e) {
            throw ApiException.badRequest("field 'time' must be " + org.vigie.base.InstantBounds.EXPECTED);
        }
        long secs = b.durationSeconds() == null ? 0 : b.durationSeconds();
        if (secs < 0 || secs > 86_400) throw ApiException.badRequest("field 'durationSeconds' must be 0 to 86400");
        if (b.title().isBlank() || b.title().length() > 200) {
            throw ApiException.badRequest("field 'title' must be 1 to 200 characters");
        }
        BookmarkStore.Bookmark bm = bookmarks.add(b.camera(), time, Duration.ofSeconds(secs), b.title(),
                ctx.principal().username(), clock.instant());
        audit.append(ctx.principal().username(), AuditAction.BOOKMARK_CREATE, bm.camera(), Map.of("id", bm.id(),
                "time", time.toString(), "durationSeconds", secs, "title", b.title()));
        return ApiResponse.json(HttpResponseStatus.CREATED, bm);
    }

    ApiResponse deleteBookmark(RequestContext ctx) throws ApiException, SQLException {
        long id = Params.longValue(ctx.var("bookmarkId"), "bookmark id");
        BookmarkStore.Bookmark bm = bookmarks.get(id)
                .orElseThrow(() -> ApiException.notFound("no bookmark " + id));
        access.require(ctx.principal(), Permission.BOOKMARKS_WRITE, bm.camera());
        bookmarks.delete(id);
        audit.append(ctx.principal().username(), AuditAction.BOOKMARK_DELETE, bm.camera(), Map.of("id", id,
                "title", String.valueOf(bm.title()), "createdBy", String.valueOf(bm.createdBy())));
        return ApiResponse.noContent();
    }

    private record Window(Instant from, Instant to) {
    }

    private Window window(RequestContext ctx) throws ApiException {
        Instant to = Params.instant(ctx.request(), "to", clock.instant());
        Instant from = Params.instant(ctx.request(), "from", to.minus(DEFAULT_WINDOW));
        if (!from.isBefore(to)) throw ApiException.badRequest("'from' must be before 'to'");
        return new Window(from, to);
    }

    /** The camera of the {@code camera} parameter (checked), or every camera the user may use. */
    private List<String> cameras(RequestContext ctx, Permission p) throws ApiException {
        String camera = ctx.request().param("camera");
        if (camera != null) {
            access.require(ctx.principal(), p, camera);
            return List.of(camera);
        }
        return access.visibleIds(ctx.principal(), p);
    }
}
