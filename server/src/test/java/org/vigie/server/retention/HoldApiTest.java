package org.vigie.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.vigie.recorder.retention.RetentionSweeper;
import org.vigie.recorder.retention.SweepReport;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.server.VmsServer;
import org.vigie.server.config.VmsConfig;
import org.vigie.systemd.SystemdNotifier;

/**
 * Legal holds, the register of recordings and the storage status through real HTTP on 127.0.0.1 against an
 * in-process {@link VmsServer} (real recorder files, real hold journal and register, real SQLite audit trail):
 * a supervisor creates, extends and releases a hold, each audited; an operator is refused (403, audited as a denied
 * access); a supervisor of another district is refused and sees nothing of the district; bad bodies get a 400 that
 * names the problem and change nothing; the sweeper destroys a 10 s-retention camera's old footage but keeps the
 * held range (checked on disk and by ffprobe) until the hold is released, and the register lists each destruction.
 *
 * <p>The sweep schedule is 10 min, so after its first run at start-up the test drives it with
 * {@link RetentionSweeper#runOnce()}; footage is written into the recorder with wall times ten minutes in the past.
 */
class HoldApiTest {

    private static final String ADMIN_PASSWORD = "admin-password-1";

    @TempDir
    static Path dir;

    static VmsServer server;
    static Client admin;
    static Client sup1;
    static Client sup2;
    static Client op1;

    @BeforeAll
    static void start() throws Exception {
        String yaml = """
                server: { bind-address: 127.0.0.1, http-port: 0, rtsp-port: 0 }
                storage: { path: '%s', segment-duration: 10s, fragment-duration: 1s, retention-sweep-interval: 10m }
                legal-holds: { release-grace: 0s }
                ingest: { reconnect-min: 200ms, reconnect-max: 1s }
                auth: { admin-password: '%s', argon2-memory-kib: 64, argon2-iterations: 1, lockout-failures: 3 }
                cameras:
                  - { id: cam-a, url: 'rtsp://127.0.0.1:9/a', group: district-1, enabled: false }
                  - { id: cam-r, url: 'rtsp://127.0.0.1:9/r', group: district-1, enabled: false, retention: 10s }
                  - { id: cam-b, url: 'rtsp://127.0.0.1:9/b', group: district-2, enabled: false }
                """.formatted(dir.resolve("recordings"), ADMIN_PASSWORD);
        server = VmsServer.start(VmsConfig.parse(yaml), InstantSource.system(), new SystemdNotifier(null, null), null);
        admin = new Client(server.httpPort()).login("admin", ADMIN_PASSWORD);
        createUser("sup1", "supervisor", "district-1");
        createUser("sup2", "supervisor", "district-2");
        createUser("op1", "operator", "district-1");
        sup1 = new Client(server.httpPort()).login("sup1", "sup1-password");
        sup2 = new Client(server.httpPort()).login("sup2", "sup2-password");
        op1 = new Client(server.httpPort()).login("op1", "op1-password");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static void createUser(String name, String role, String group) throws Exception {
        HttpResponse<String> r = admin.send("POST", "/api/v1/users", Map.of("username", name,
                "password", name + "-password", "role", role, "groups", List.of(group)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static Map<String, Object> hold(String camera, String caseNumber, Instant from, Instant to,
                                            Instant expires) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("camera", camera);
        m.put("from", from.toString());
        m.put("to", to.toString());
        m.put("caseNumber", caseNumber);
        m.put("reason", "réquisition judiciaire, vol à l'arraché");
        m.put("expires", expires.toString());
        return m;
    }

    @Test
    void supervisorCreatesExtendsAndReleasesAHoldEachAudited() throws Exception {
        Instant now = Instant.now();
        Instant expires = now.plus(Duration.ofDays(7)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map<String, Object> body = hold("cam-a", "PV-2026-0001", now.minusSeconds(3600), now.minusSeconds(1800),
                expires);
        body.put("stream", "main");
        HttpResponse<String> created = sup1.send("POST", "/api/v1/holds", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode h = Client.json(created);
        String id = h.get("id").asText();
        assertThat(h.get("camera").asText()).isEqualTo("cam-a");
        assertThat(h.get("caseNumber").asText()).isEqualTo("PV-2026-0001");
        assertThat(h.get("createdBy").asText()).isEqualTo("sup1");
        assertThat(h.get("active").asBoolean()).isTrue();
        assertThat(Instant.parse(h.get("expires").asText())).isEqualTo(expires);

        JsonNode listed = Client.json(sup1.get("/api/v1/holds?camera=cam-a&active=true"));
        assertThat(listed.findValuesAsText("id")).contains(id);
        assertThat(server.retention().holds().get(id)).isPresent(); // in the registry the sweeper consults

        Instant later = expires.plus(Duration.ofDays(30));
        HttpResponse<String> extended = sup1.send("POST", "/api/v1/holds/" + id + "/extend",
                Map.of("expires", later.toString()));
        assertThat(extended.statusCode()).as(extended.body()).isEqualTo(200);
        assertThat(Instant.parse(Client.json(extended).get("expires").asText())).isEqualTo(later);

        HttpResponse<String> released = sup1.send("POST", "/api/v1/holds/" + id + "/release",
                Map.of("reason", "classement sans suite"));
        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
        JsonNode r = Client.json(released);
        assertThat(r.get("active").asBoolean()).isFalse();
        assertThat(r.get("releasedBy").asText()).isEqualTo("sup1");
        assertThat(Client.json(sup1.get("/api/v1/holds?camera=cam-a&active=true")).findValuesAsText("id"))
                .doesNotContain(id);
        assertThat(Client.json(sup1.get("/api/v1/holds?camera=cam-a&active=false")).findValuesAsText("id"))
                .contains(id);

        // a released hold can be neither extended nor released again
        HttpResponse<String> again = sup1.send("POST", "/api/v1/holds/" + id + "/release", Map.of("reason", "x"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(sup1.send("POST", "/api/v1/holds/H999999/extend", Map.of("expires", later.toString()))
                .statusCode()).isEqualTo(404);

        List<JsonNode> trail = auditOf("sup1", "cam-a", id);
        assertThat(trail).extracting(a -> a.get("action").asText())
                .containsExactly("hold.create", "hold.extend", "hold.release");
        JsonNode createDetail = Client.JSON.readTree(trail.get(0).get("detail").asText());
        assertThat(createDetail.get("caseNumber").asText()).isEqualTo("PV-2026-0001");
        assertThat(createDetail.get("stream").asText()).isEqualTo("main");
        JsonNode extendDetail = Client.JSON.readTree(trail.get(1).get("detail").asText());
        assertThat(Instant.parse(extendDetail.get("previousExpires").asText())).isEqualTo(expires);
        JsonNode releaseDetail = Client.JSON.readTree(trail.get(2).get("detail").asText());
        assertThat(releaseDetail.get("reason").asText()).isEqualTo("classement sans suite");
        assertThat(Client.json(admin.get("/api/v1/audit/verify")).get("intact").asBoolean()).isTrue();
    }

    @Test
    void operatorIsRefusedEveryRetentionRouteAndEachRefusalIsAudited() throws Exception {
        Instant now = Instant.now();
        HttpResponse<String> created = sup1.send("POST", "/api/v1/holds", hold("cam-a", "PV-OP-1",
                now.minusSeconds(600), now, now.plusSeconds(86_400)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Client.json(created).get("id").asText();
        long deniedBefore = deniedCount("op1");

        List<HttpResponse<String>> refused = List.of(
                op1.get("/api/v1/holds"),
                op1.get("/api/v1/holds?camera=cam-a"),
                op1.send("POST", "/api/v1/holds", hold("cam-a", "PV-OP-2", now.minusSeconds(60), now,
                        now.plusSeconds(3600))),
                op1.send("POST", "/api/v1/holds/" + id + "/extend", Map.of("expires",
                        now.plusSeconds(200_000).toString())),
                op1.send("POST", "/api/v1/holds/" + id + "/release", Map.of("reason", "pas d'objet")),
                op1.get("/api/v1/register"),
                op1.get("/api/v1/storage"));
        for (HttpResponse<String> r : refused) {
            assertThat(r.statusCode()).as(r.request().uri() + " " + r.body()).isEqualTo(403);
            assertThat(Client.json(r).get("error").asText()).contains("operator");
        }
        assertThat(deniedCount("op1") - deniedBefore).isEqualTo(refused.size());
        // the roles as the API lists them: holds and the register for supervisors, neither for operators
        Map<String, List<String>> roles = new LinkedHashMap<>();
        for (JsonNode r : Client.json(op1.get("/api/v1/roles"))) {
            List<String> perms = new ArrayList<>();
            r.get("permissions").forEach(x -> perms.add(x.asText()));
            roles.put(r.get("role").asText(), perms);
        }
        assertThat(roles.get("supervisor")).contains("hold", "register_read").doesNotContain("system_read");
        assertThat(roles.get("operator")).doesNotContain("hold", "register_read");
        assertThat(roles.get("administrator")).contains("hold", "register_read", "system_read");
        JsonNode still = Client.json(sup1.get("/api/v1/holds?camera=cam-a&active=true"));
        assertThat(still.findValuesAsText("id")).contains(id);
        assertThat(still.findValuesAsText("caseNumber")).doesNotContain("PV-OP-2");
    }

    @Test
    void supervisorOfAnotherDistrictIsRefusedAndSeesNoneOfItsHolds() throws Exception {
        Instant now = Instant.now();
        HttpResponse<String> mine = sup1.send("POST", "/api/v1/holds", hold("cam-a", "PV-D1", now.minusSeconds(60),
                now, now.plusSeconds(86_400)));
        String id = Client.json(mine).get("id").asText();
        HttpResponse<String> theirs = sup2.send("POST", "/api/v1/holds", hold("cam-b", "PV-D2",
                now.minusSeconds(60), now, now.plusSeconds(86_400)));
        assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(201);

        HttpResponse<String> other = sup2.send("POST", "/api/v1/holds", hold("cam-a", "PV-X", now.minusSeconds(60),
                now, now.plusSeconds(86_400)));
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(Client.json(other).get("error").asText()).contains("cam-a");
        assertThat(sup2.get("/api/v1/holds?camera=cam-a").statusCode()).isEqualTo(403);
        assertThat(sup2.send("POST", "/api/v1/holds/" + id + "/release", Map.of("reason", "x")).statusCode())
                .isEqualTo(403);
        assertThat(sup2.get("/api/v1/holds?camera=nowhere").statusCode()).isEqualTo(404);

        JsonNode seen = Client.json(sup2.get("/api/v1/holds"));
        assertThat(seen.findValuesAsText("camera")).containsOnly("cam-b");
        assertThat(Client.json(admin.get("/api/v1/holds")).findValuesAsText("id"))
                .contains(id, Client.json(theirs).get("id").asText());
        assertThat(server.retention().holds().get(id).orElseThrow().active(Instant.now())).isTrue();
    }

    /** One bad request: the body, and a fragment the 400's message must contain. */
    private record Bad(String name, String body, String message) {
    }

    @Test
    void badBodiesGet400WithAClearMessageAndChangeNothing() throws Exception {
        Instant now = Instant.now();
        String from = now.minusSeconds(600).toString();
        String to = now.toString();
        String exp = now.plusSeconds(86_400).toString();
        String past = now.minusSeconds(60).toString();
        List<Bad> cases = List.of(
                new Bad("no case number", """
                        {"camera":"cam-a","from":"%s","to":"%s","reason":"r","expires":"%s"}""".formatted(from, to, exp),
                        "'caseNumber' is required"),
                new Bad("blank case number", """
                        {"camera":"cam-a","from":"%s","to":"%s","caseNumber":"  ","reason":"r","expires":"%s"}"""
                        .formatted(from, to, exp), "'caseNumber' must be 1 to 64 characters"),
                new Bad("no reason", """
                        {"camera":"cam-a","from":"%s","to":"%s","caseNumber":"PV-BAD","expires":"%s"}"""
                        .formatted(from, to, exp), "'reason' is required"),
                new Bad("from after to", """
                        {"camera":"cam-a","from":"%s","to":"%s","caseNumber":"PV-BAD","reason":"r","expires":"%s"}"""
                        .formatted(to, from, exp), "'from' must be before field 'to'"),
                new Bad("from equal to", """
                        {"camera":"cam-a","from":"%s","to":"%s","caseNumber":"PV-BAD","reason":"r","expires":"%s"}"""
                        .formatted(to, to, exp), "'from' must be before field 'to'"),
                new Bad("expiry in the past", """
                        {"camera":"cam-a","from":"%s","to":"%s","caseNumber":"PV-BAD","reason":"r","expires":"%s"}"""
                        .formatted(from, to, past), "'expires' must be in the future"),
                new Bad("local time", """
                        {"camera":"cam-a","from":"2026-01-01T10:00:00","to":"%s","caseNumber":"PV-BAD","reason":"r",
                         "expires":"%s"}""".formatted(to, exp), "'from' must be an ISO-8601 UTC instant"),
                new Bad("unknown field", """
                        {"camera":"cam-a","from":"%s","to":"%s","caseNumber":"PV-BAD","reason":"r","expires":"%s",
                         "retention":"forever"}""".formatted(from, to, exp), "unknown field 'retention'"),
                new Bad("bad stream", """
                        {"camera":"cam-a","stream":"../x","from":"%s","to":"%s","caseNumber":"PV-BAD","reason":"r",
                         "expires":"%s"}""".formatted(from, to, exp), "'stream' must be 'main' or 'sub'"),
                new Bad("number for text", """
                        {"camera":"cam-a","from":"%s","to":"%s","caseNumber":12,"reason":"r","expires":"%s"}"""
                        .formatted(from, to, exp), "'caseNumber' must be a string"),
                new Bad("malformed JSON", "{\"camera\":", "malformed JSON"),
                new Bad("no body", "", "a JSON body is required"),
                new Bad("an array", "[]", "must be an object"));
        int holdsBefore = server.retention().holds().all().size();
        for (Bad b : cases) {
            HttpResponse<String> r = sup1.raw("POST", "/api/v1/holds", b.body());
            assertThat(r.statusCode()).as(b.name() + ": " + r.body()).isEqualTo(400);
            assertThat(Client.json(r).get("error").asText()).as(b.name()).contains(b.message());
        }
        assertThat(server.retention().holds().all()).hasSize(holdsBefore);
        assertThat(server.retention().holds().all()).noneMatch(h -> h.caseNumber().equals("PV-BAD"));

        HttpResponse<String> ok = sup1.send("POST", "/api/v1/holds", hold("cam-a", "PV-GOOD", now.minusSeconds(60),
                now, now.plusSeconds(86_400)));
        String id = Client.json(ok).get("id").asText();
        HttpResponse<String> earlier = sup1.send("POST", "/api/v1/holds/" + id + "/extend",
                Map.of("expires", now.plusSeconds(3600).toString()));
        assertThat(earlier.statusCode()).isEqualTo(400);
        assertThat(Client.json(earlier).get("error").asText()).contains("later than the hold's current expiry");
        HttpResponse<String> noReason = sup1.raw("POST", "/api/v1/holds/" + id + "/release", "{}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(Client.json(noReason).get("error").asText()).contains("'reason' is required");
        assertThat(sup1.get("/api/v1/holds?active=maybe").statusCode()).isEqualTo(400);
        assertThat(sup1.get("/api/v1/register?kind=burnt").statusCode()).isEqualTo(400);
        assertThat(sup1.get("/api/v1/register?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z").statusCode())
                .isEqualTo(400);
        assertThat(server.retention().holds().get(id).orElseThrow().active(Instant.now())).isTrue();
        assertThat(auditOf("sup1", "cam-a", id)).extracting(a -> a.get("action").asText())
                .containsExactly("hold.create");
    }

    @Test
    void sweeperDestroysOldFootageButKeepsTheHeldRangeAndTheRegisterListsEachDestruction() throws Exception {
        StreamKey key = StreamKey.main("cam-r");
        long startSec = Instant.now().getEpochSecond() - 600; // ten minutes ago: far past the 10 s retention
        Instant start = Instant.ofEpochSecond(startSec);
        // the hold first (a scheduled sweep can never see the footage unprotected): seconds 12-15 of 30
        HttpResponse<String> created = sup1.send("POST", "/api/v1/holds", hold("cam-r", "PV-SWEEP",
                start.plusSeconds(12), start.plusSeconds(15), Instant.now().plusSeconds(86_400)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String holdId = Client.json(created).get("id").asText();

        FrameSink sink = server.recorder().sink(key);
        int frames = 150; // 30 s at 5 fps, a key frame every second
        for (int i = 0; i < frames; i++) {
            sink.onFrame(frame(i, startSec * 1_000_000L + i * 200_000L));
        }
        sink.onSessionEnd(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // written, and the session end processed: the sweeper never destroys an open segment (OpenSegments)
        while ((server.recorder().stats(key).orElseThrow().framesWritten() < frames || anyOpen(key))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.recorder().stats(key).orElseThrow().framesWritten()).isEqualTo(frames);
        assertThat(anyOpen(key)).as("a segment of %s still open", key).isFalse();
        List<SegmentInfo> before = server.recorder().catalog().segments(key);
        long heldMicrosFrom = (startSec + 12) * 1_000_000L;
        long heldMicrosTo = (startSec + 15) * 1_000_000L;
        List<SegmentInfo> held = before.stream()
                .filter(s -> s.startMicros() < heldMicrosTo && heldMicrosFrom < s.endMicros()).toList();
        List<SegmentInfo> due = before.stream().filter(s -> !held.contains(s)).toList();
        assertThat(held).isNotEmpty();
        assertThat(due).isNotEmpty();

        RetentionSweeper sweeper = server.retention().sweeper();
        long retentionBefore = sweeper.segmentsDeletedByRetention();
        SweepReport report = sweeper.runOnce();
        assertThat(report.retentionSegments()).isEqualTo(due.size());
        assertThat(report.heldKept()).isGreaterThanOrEqualTo(held.size());
        assertThat(server.recorder().catalog().segments(key)).extracting(SegmentInfo::segment)
                .containsExactlyElementsOf(held.stream().map(SegmentInfo::segment).toList());
        for (SegmentInfo s : due) {
            assertThat(s.segment()).doesNotExist();
        }
        for (SegmentInfo s : held) {
            assertThat(ffprobeCodec(s.segment())).as(s.segment().toString()).isEqualTo("h264");
        }

        JsonNode register = Client.json(sup1.get("/api/v1/register?camera=cam-r&kind=destruction"));
        assertThat(register.size()).isGreaterThan(0);
        long listed = 0;
        for (JsonNode e : register) {
            assertThat(e.get("kind").asText()).isEqualTo("destruction");
            assertThat(e.get("cause").asText()).isEqualTo("retention");
            assertThat(e.get("actor").asText()).isEqualTo("system");
            assertThat(e.get("stream").asText()).isEqualTo("main");
            assertThat(Instant.parse(e.get("from").asText())).isBefore(Instant.parse(e.get("to").asText()));
            listed += e.get("segments").asLong();
        }
        assertThat(listed).isEqualTo(due.size());
        // every destroyed segment's footage is within a listed range, and no listed range covers held footage
        // (the register is the law's record of what was destroyed)
        for (SegmentInfo s : held) {
            for (JsonNode e : register) {
                boolean overlaps = s.start().isBefore(Instant.parse(e.get("to").asText()))
                        && s.end().isAfter(Instant.parse(e.get("from").asText()));
                assertThat(overlaps).as("kept " + s + " listed as destroyed in " + e).isFalse();
            }
        }
        for (SegmentInfo s : due) {
            boolean covered = false;
            for (JsonNode e : register) {
                covered |= !s.start().isBefore(Instant.parse(e.get("from").asText()))
                        && !s.end().isAfter(Instant.parse(e.get("to").asText()));
            }
            assertThat(covered).as(s + " in " + register).isTrue();
        }

        // the storage status counts what is left and what the sweeper did
        JsonNode storage = Client.json(admin.get("/api/v1/storage"));
        JsonNode vol = storage.get("volumes").get(0);
        assertThat(vol.get("usableBytes").asLong()).isPositive();
        assertThat(vol.get("recordingBytes").asLong()).isEqualTo(held.stream().mapToLong(SegmentInfo::bytes).sum());
        assertThat(vol.get("segments").asLong()).isEqualTo(held.size());
        JsonNode sw = storage.get("sweeper");
        assertThat(sw.get("running").asBoolean()).isTrue();
        assertThat(sw.get("segmentsDeletedByRetention").asLong()).isEqualTo(retentionBefore + due.size());
        assertThat(sw.get("lastRun").get("heldKept").asInt()).isEqualTo(report.heldKept());
        String metrics = admin.get("/metrics").body();
        assertThat(metrics).contains("vms_retention_segments_deleted_total{cause=\"retention\",} "
                + (double) (retentionBefore + due.size()));
        assertThat(metrics).contains("vms_storage_target_free_bytes{volume=");

        // another district sees none of it; the released hold lets the next sweep destroy the rest
        assertThat(sup2.get("/api/v1/register?camera=cam-r").statusCode()).isEqualTo(403);
        assertThat(Client.json(sup2.get("/api/v1/register")).findValuesAsText("camera")).doesNotContain("cam-r");
        assertThat(sup1.send("POST", "/api/v1/holds/" + holdId + "/release",
                Map.of("reason", "enquête close")).statusCode()).isEqualTo(200);
        assertThat(sweeper.runOnce().retentionSegments()).isEqualTo(held.size());
        assertThat(server.recorder().catalog().segments(key)).isEmpty();
        JsonNode all = Client.json(admin.get("/api/v1/register?camera=cam-r&kind=destruction"));
        assertThat(all.findValuesAsText("camera")).containsOnly("cam-r");
        long total = 0;
        for (JsonNode e : all) {
            total += e.get("segments").asLong();
        }
        assertThat(total).isEqualTo(before.size());
        assertThat(Client.json(admin.get("/api/v1/audit?user=sup1&action=register.read&camera=cam-r")).size())
                .isEqualTo(1);
    }

    /** The audit records of {@code user} on {@code camera} about one hold, oldest first. */
    private static List<JsonNode> auditOf(String user, String camera, String holdId) throws Exception {
        JsonNode all = Client.json(admin.get("/api/v1/audit?user=" + user + "&camera=" + camera + "&limit=1000"));
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode a : all) {
            if (a.get("action").asText().startsWith("hold.")
                    && Client.JSON.readTree(a.get("detail").asText()).path("hold").asText().equals(holdId)) {
                out.add(a);
            }
        }
        return out;
    }

    private static long deniedCount(String user) throws Exception {
        return Client.json(admin.get("/api/v1/audit?user=" + user + "&action=access.denied&limit=1000")).size();
    }

    private static String ffprobeCodec(Path mp4) throws Exception {
        assertThat(Files.size(mp4)).isPositive();
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name", "-of", "csv=p=0", mp4.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start(); // the synthetic slices do not decode
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** A synthetic H.264 access unit (one NAL, IDR every 5 frames) at 5 fps. */
    private static Frame frame(int n, long wallMicros) {
        byte[] avcC = {1, 0x42, (byte) 0xc0, 0x1e, (byte) 0xff, (byte) 0xe1, 0, 4, 0x67, 0x42, (byte) 0xc0, 0x1e,
                1, 0, 2, 0x68, (byte) 0xce};
        boolean key = n % 5 == 0;
        byte[] data = new byte[4 + 40];
        data[3] = 40;
        data[4] = (byte) (key ? 0x65 : 0x41);
        data[5] = (byte) n;
        return new Frame(new VideoFormat(Codec.H264, 320, 240, avcC), 1, 90_000L + n * 18_000L, wallMicros, key, data);
    }

    /** A client of the API on 127.0.0.1 (java.net.http) holding a bearer token. */
    static final class Client {

        static final ObjectMapper JSON = new ObjectMapper();

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;
        private String token;

        Client(int port) {
            this.base = "http://127.0.0.1:" + port;
        }

        Client login(String user, String password) throws IOException, InterruptedException {
            HttpResponse<String> r = send("POST", "/api/v1/auth/login", Map.of("username", user,
                    "password", password));
            if (r.statusCode() != 200) {
                throw new AssertionError("login " + user + ": " + r.statusCode() + " " + r.body());
            }
            token = json(r).get("token").asText();
            return this;
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return raw("GET", path, null);
        }

        HttpResponse<String> send(String method, String path, Object body) throws IOException, InterruptedException {
            return raw(method, path, body == null ? null : JSON.writeValueAsString(body));
        }

        HttpResponse<String> raw(String method, String path, String body) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        static JsonNode json(HttpResponse<String> r) throws IOException {
            return JSON.readTree(r.body());
        }
    }

    private boolean anyOpen(StreamKey key) {
        return server.recorder().catalog().segments(key).stream()
                .anyMatch(s -> server.recorder().openSegments().isOpen(s.segment()));
    }
}
