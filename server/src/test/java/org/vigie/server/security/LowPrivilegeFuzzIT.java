package org.vigie.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.ingest.CameraState;
import org.vigie.testing.StreamClient;
import org.vigie.server.VmsServer;
import org.vigie.testing.ApiClient;
import org.vigie.server.audit.AuditRecord;
import org.vigie.server.config.VmsConfig;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.testing.Await;
import org.vigie.testing.RtspTestClient;

/**
 * Issue 9, acceptance: a seeded fuzz of everything a low-privilege user can reach. An operator granted exactly one
 * of two real simulated cameras ({@code cam-1}, not {@code cam-2}) sends {@value #DEFAULT_REQUESTS} requests
 * (override with {@code -Dfuzz.requests}) mixing every route of the OpenAPI document (plus the export routes),
 * with mutated ids, query parameters, bodies, dates, headers and ranges; the WebSocket protocol (open, seek,
 * speed, close... with mutated cameras, times, channel ids and malformed JSON); and the RTSP re-stream (DESCRIBE,
 * SETUP, PLAY on mutated URLs and headers). It asserts: no 5xx anywhere; nothing of {@code cam-2} served (no 2xx
 * body naming it or of its media, no WebSocket channel or frame of it, no SDP or RTP of it); every view served is
 * in the audit trail, and the audit shows no view of another camera. The seed is printed; rerun a failure with
 * {@code -Dfuzz.seed=N}.
 */
class LowPrivilegeFuzzIT {

    static final int DEFAULT_REQUESTS = 10_000;
    static final String ADMIN_PASSWORD = "fuzz-admin-password";
    static final String PASSWORD = "fuzz-operator-password";
    static final String GRANTED = "cam-1";
    static final String OTHER = "cam-2";

    /** Media routes: a 2xx answer is footage of the camera the path names. */
    static final Pattern MEDIA = Pattern.compile("/api/v1/cameras/([^/?]*)/(snapshot\\.jpg|export\\.jpg|export\\.mp4"
            + "|export\\.zip|recordings)");
    /**
     * An RTSP URL that names a stream (the host is not looked at): {@code /live|archive/{camera}[/sub|/main]},
     * a track control and a query allowed. A SETUP on a URL naming none uses the stream described on the connection.
     */
    static final Pattern NAMES_STREAM = Pattern.compile("(rtsp://[^/]*)?/(live|archive)/([A-Za-z0-9][A-Za-z0-9._-]{0,63})"
            + "(/sub|/main)?(/trackID=\\d*)?/?(\\?.*)?");

    @TempDir
    Path dir;

    final List<String> failures = new ArrayList<>();
    final Map<String, Integer> sent = new TreeMap<>();
    int httpViews;
    int wsOpened;
    int rtspPlays;
    int rtpPackets;
    int wsFrames;

    VmsServer server;
    Random rnd;
    String token;
    List<String[]> routes;
    final Map<String, List<String>> ids = new HashMap<>();

    @Test
    void aLowPrivilegeOperatorGetsNothingOutsideItsGrantNoMatterWhatItSends() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int requests = Integer.getInteger("fuzz.requests", DEFAULT_REQUESTS);
        System.out.println("LowPrivilegeFuzzIT seed " + seed + " (rerun: -Dfuzz.seed=" + seed + ")");
        rnd = new Random(seed);
        long t0 = System.nanoTime();
        try (CameraSimulator sim = CameraSimulator.start(0, 2, SimulatorOptions.defaults())) {
            VmsConfig config = VmsConfig.parse("""
                    storage: { path: '%s', segment-duration: 10s }
                    server: { http-port: 0, rtsp-port: 0, bind-address: 127.0.0.1 }
                    auth: { admin-password: '%s', argon2-memory-kib: 64, argon2-iterations: 1, lockout-failures: 3,
                            source-failures: 100000 }
                    cameras:
                      - { id: cam-1, url: '%s', group: district-1 }
                      - { id: cam-2, url: '%s', group: district-2 }
                    """.formatted(dir.resolve("storage"), ADMIN_PASSWORD, sim.url(sim.cameraIds().get(0)),
                    sim.url(sim.cameraIds().get(1))));
            server = VmsServer.start(config, InstantSource.system());
            try {
                Await.until("cameras streaming", Duration.ofSeconds(30), () -> server.cameras().list().stream()
                        .allMatch(c -> c.state() == CameraState.STREAMING));
                prepare();
                System.out.printf("LowPrivilegeFuzzIT set up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                long f0 = System.nanoTime();
                fuzz(requests);
                long fuzzMs = (System.nanoTime() - f0) / 1_000_000;
                checkAudit();
                System.out.printf("LowPrivilegeFuzzIT seed %d: %d requests in %d ms, by channel %s,"
                        + " views served %d (HTTP %d, WebSocket %d, RTSP %d), WebSocket media frames %d, RTP packets %d%n", seed,
                        sent.values().stream().mapToInt(Integer::intValue).sum(), fuzzMs, sent,
                        httpViews + wsOpened + rtspPlays, httpViews, wsOpened, rtspPlays, wsFrames, rtpPackets);
            } finally {
                server.close();
            }
        }
        assertThat(failures).as("fuzz seed %d (rerun: -Dfuzz.seed=%d)", seed, seed).isEmpty();
    }

    /** The operator, and real ids of objects of both cameras to aim at (a bookmark, a hold, layouts, a key). */
    void prepare() throws Exception {
        ApiClient admin = new ApiClient(server.httpPort()).login("admin", ADMIN_PASSWORD);
        ok(admin.send("POST", "/api/v1/users", Map.of("username", "fuzzer", "password", PASSWORD,
                "role", "operator", "cameras", List.of(GRANTED))));
        ok(admin.send("POST", "/api/v1/users", Map.of("username", "other", "password", PASSWORD,
                "role", "operator", "cameras", List.of(OTHER))));
        token = new ApiClient(server.httpPort()).login("fuzzer", PASSWORD).token();
        Thread.sleep(3_000); // some footage to replay
        Instant now = Instant.now();
        for (String cam : List.of(GRANTED, OTHER)) {
            ids.computeIfAbsent("bookmarkId", k -> new ArrayList<>()).add(ApiClient.json(ok(admin.send("POST",
                    "/api/v1/bookmarks", Map.of("camera", cam, "time", now.minusSeconds(2).toString(),
                            "title", "mark " + cam)))).path("id").asText());
            ids.computeIfAbsent("holdId", k -> new ArrayList<>()).add(ApiClient.json(ok(admin.send("POST",
                    "/api/v1/holds", Map.of("camera", cam, "from", now.minusSeconds(60).toString(),
                            "to", now.toString(), "caseNumber", "PV-" + cam, "reason", "case " + cam, "expires",
                            now.plusSeconds(86_400).toString())))).path("id").asText());
        }
        ids.computeIfAbsent("layoutId", k -> new ArrayList<>()).add(ApiClient.json(ok(admin.send("POST",
                "/api/v1/layouts", Map.of("name", "both", "layout", "2x2",
                        "cameras", List.of(GRANTED, OTHER, GRANTED, OTHER))))).path("id").asText());
        ids.computeIfAbsent("keyId", k -> new ArrayList<>()).add(ApiClient.json(ok(admin.send("POST",
                "/api/v1/users/other/api-keys", Map.of("name", "k")))).path("id").asText());
        ids.put("name", new ArrayList<>(List.of("fuzzer", "other", "admin")));
        ids.put("presetToken", new ArrayList<>(List.of("1", "preset-1")));
        ApiClient operator = new ApiClient(server.httpPort());
        operator.token(token);
        JsonNode doc = ApiClient.json(ok(operator.get("/api/v1/openapi.json")));
        routes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> p = doc.path("paths").fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> e = p.next();
            for (Iterator<String> m = e.getValue().fieldNames(); m.hasNext(); ) {
                String method = m.next();
                if (method.equals("parameters")) continue;
                List<String> query = new ArrayList<>();
                for (JsonNode par : e.getValue().path(method).path("parameters")) {
                    if (par.path("in").asText().equals("query")) query.add(par.path("name").asText());
                }
                routes.add(new String[] {method.toUpperCase(), e.getKey(), String.join(",", query)});
            }
        }
        for (String ext : List.of("mp4", "zip")) {
            routes.add(new String[] {"GET", "/api/v1/cameras/{id}/export." + ext, "from,to,reason,stream,case"});
        }
        assertThat(routes).as("routes of the OpenAPI document").hasSizeGreaterThan(40);
    }

    static HttpResponse<String> ok(HttpResponse<String> r) {
        if (r.statusCode() / 100 != 2) throw new AssertionError(r.statusCode() + " " + r.body());
        return r;
    }

    /** Shares of the requests: REST, WebSocket messages, RTSP requests; each turn goes to the one most behind. */
    static final double[] SHARES = {0.5, 0.3, 0.2};
    static final String[] CHANNELS = {"rest", "websocket", "rtsp"};
    final long[] nanos = new long[3];
    final Map<String, Long> rtspNanos = new TreeMap<>();

    void fuzz(int requests) throws Exception {
        int done = 0;
        while (done < requests) {
            int left = requests - done;
            int behind = 0;
            double worst = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < 3; i++) {
                double lag = SHARES[i] * (done + 1) - sent.getOrDefault(CHANNELS[i], 0) + rnd.nextDouble();
                if (lag > worst) {
                    worst = lag;
                    behind = i;
                }
            }
            long t = System.nanoTime();
            done += switch (behind) {
                case 0 -> rest();
                case 1 -> webSocket(Math.min(left, 10 + rnd.nextInt(40)));
                default -> rtsp(Math.min(left, 1 + rnd.nextInt(6)));
            };
            nanos[behind] += System.nanoTime() - t;
        }
        System.out.println("LowPrivilegeFuzzIT RTSP ns by method " + rtspNanos);
        for (int i = 0; i < 3; i++) {
            System.out.printf("LowPrivilegeFuzzIT %s: %d requests in %d ms, statuses %s%n", CHANNELS[i],
                    sent.getOrDefault(CHANNELS[i], 0), nanos[i] / 1_000_000, statuses.get(CHANNELS[i]));
        }
    }

    final Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();

    void count(String channel, int status) {
        sent.merge(channel, 1, Integer::sum);
        if (status != 0) statuses.computeIfAbsent(channel, k -> new TreeMap<>()).merge(status, 1, Integer::sum);
    }

    void fail(String what) {
        if (failures.size() < 50) failures.add(what);
    }

    // ---- mutations ---------------------------------------------------------------------------------------------

    <T> T pick(List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    String camera() {
        int r = rnd.nextInt(10);
        if (r < 3) return GRANTED;
        if (r < 6) return OTHER;
        return pick(List.of("cam-3", "CAM-2", "cam-2 ", " cam-1", "cam-1/../cam-2",
                "cam-1%2F..%2Fcam-2", "%63am-2", "cam-2%00", "cam-2;x", "cam-1,cam-2", "..", ".", "", "*", "%",
                "%zz", "cam-\u00e9", "a".repeat(300), "-1", "0", "null", "cam-1\r\nX: y", "cam-2/sub", "cam-1?x=1"));
    }

    String date() {
        Instant now = Instant.now();
        return pick(List.of(now.toString(), now.minusSeconds(2).toString(), now.minusSeconds(3600).toString(),
                now.plusSeconds(3600).toString(), "-300000-01-01T00:00:00Z", "+300000-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z", "2026-13-45T99:99:99Z", "now",
                "", "0", "-1", String.valueOf(Long.MAX_VALUE), "2026-01-01", "2026-01-01T00:00:00",
                "2026-01-01T00:00:00+25:00", "1e308", "NaN", "P1D"));
    }

    String scalar() {
        return pick(List.of("", "0", "-1", "1", "2147483648", "-9223372036854775809", "1e400", "NaN", "true",
                "null", "abc", "%00", "'", "\"", "<script>", "../../etc/passwd", "x".repeat(5000), "\u0000",
                "main", "sub", "live", "archive", "operator", "administrator", date(), camera()));
    }

    String queryValue(String name) {
        return switch (name) {
            case "camera" -> camera();
            case "from", "to", "at" -> date();
            case "limit", "after" -> pick(List.of("1", "10", "1000", "1001", "0", "-1", "99999999999", "x", ""));
            case "stream" -> pick(List.of("main", "sub", "other", "", "MAIN"));
            default -> scalar();
        };
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    Object value(String key) {
        return switch (key) {
            case "camera" -> camera();
            case "cameras" -> List.of(camera(), camera());
            case "from", "to", "at", "time", "expires", "until" -> date();
            case "cells" -> List.of(Map.of("camera", camera()), Map.of("camera", camera()));
            case "x", "y", "zoom", "columns", "rows", "rate", "timeout" -> pick(List.<Object>of(0, 1, -1, 0.5, 1e308,
                    Long.MAX_VALUE, "x", 2, 1000));
            default -> rnd.nextInt(5) == 0 ? pick(List.<Object>of(1, true, List.of(), Map.of())) : scalar();
        };
    }

    byte[] body() throws IOException {
        int kind = rnd.nextInt(10);
        if (kind == 0) {
            return pick(List.of("{", "null", "[]", "\"x\"", "1", "{\"a\":}", "{\"camera\":\"cam-2\"",
                    "[".repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
                    "\u0000\u0001\u00ff", "{\"camera\":\"cam-1\",\"camera\":\"cam-2\"}"))
                    .getBytes(StandardCharsets.UTF_8);
        }
        if (kind == 1) {
            byte[] b = new byte[rnd.nextInt(200)];
            rnd.nextBytes(b);
            return b;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> keys = List.of("camera", "cameras", "from", "to", "at", "time", "title", "durationSeconds",
                "layout", "caseNumber", "stream", "reason", "label", "username",
                "password", "role", "name", "cells", "url", "onvif", "x", "y", "zoom", "expires", "until", "id",
                "enabled", "group", "shared", "columns", "rows", "case", "recipient", "timeout", "user", "token");
        int n = rnd.nextInt(6);
        for (int i = 0; i < n; i++) {
            String k = pick(keys);
            m.put(k, value(k));
        }
        return ApiClient.JSON.writeValueAsBytes(m);
    }

    Map<String, String> headers(boolean mayDropAuth) {
        Map<String, String> h = new LinkedHashMap<>();
        int auth = mayDropAuth ? rnd.nextInt(20) : 10;
        switch (auth) {
            case 0 -> { }
            case 1 -> h.put("Authorization", "Bearer " + token + "x");
            case 2 -> h.put("Authorization", "Bearer ");
            case 3 -> h.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    ("fuzzer:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
            case 4 -> h.put("Authorization", "Bearer " + token.toUpperCase());
            default -> h.put("Authorization", "Bearer " + token);
        }
        if (rnd.nextInt(3) == 0) {
            h.put("Range", pick(List.of("bytes=0-", "bytes=1-", "bytes=-1", "bytes=5-2", "bytes=0-0,1-1",
                    "bytes=99999999999999999999-", "items=0-", "bytes=", "bytes=-0", "bytes=0-9223372036854775807")));
        }
        if (rnd.nextInt(4) == 0) {
            h.put(pick(List.of("Content-Type", "Accept", "X-Forwarded-For", "Origin", "Accept-Encoding",
                    "If-None-Match", "Expect", "Transfer-Encoding")), pick(List.of("application/json",
                    "text/plain", "*/*", "10.0.0.1", "gzip", "100-continue", "identity", "x".repeat(3000), "")));
        }
        return h;
    }

    // ---- the REST API ------------------------------------------------------------------------------------------

    int rest() throws Exception {
        String[] route = pick(routes);
        String method = rnd.nextInt(30) == 0 ? pick(List.of("PATCH", "OPTIONS", "TRACE", "GET", "DELETE"))
                : route[0];
        String template = route[1];
        if (template.endsWith("/auth/logout") || template.endsWith("/auth/login")) return restAuth(template);
        StringBuilder path = new StringBuilder();
        String idUsed = null;
        for (String seg : template.substring(1).split("/")) {
            path.append('/');
            if (seg.startsWith("{")) {
                String name = seg.substring(1, seg.length() - 1);
                String v;
                if (name.equals("id")) v = camera();
                else if (rnd.nextInt(4) == 0) v = scalar();
                else v = pick(ids.getOrDefault(name, List.of("1")));
                if (name.equals("id")) idUsed = v;
                path.append(rnd.nextInt(3) == 0 ? v : enc(v).replace("+", "%20"));
            } else {
                path.append(seg);
            }
        }
        List<String> params = new ArrayList<>(route[2].isEmpty() ? List.of() : List.of(route[2].split(",")));
        StringBuilder q = new StringBuilder();
        for (String p : params) {
            if (rnd.nextInt(5) < 3) q.append(q.isEmpty() ? "?" : "&").append(p).append('=').append(enc(queryValue(p)));
        }
        if (rnd.nextInt(8) == 0) {
            String p = params.isEmpty() ? "camera" : pick(params);
            q.append(q.isEmpty() ? "?" : "&").append(p).append('=').append(enc(queryValue(p)));
        }
        if (rnd.nextInt(15) == 0) q.append(q.isEmpty() ? "?" : "&").append(pick(List.of("%", "a=%zz", "&&", "=", "a")));
        byte[] body = method.equals("POST") || method.equals("PUT") || rnd.nextInt(10) == 0 ? body() : null;
        Map<String, String> h = headers(true);
        if (body != null && !h.containsKey("Content-Type")) h.put("Content-Type", "application/json");
        String target = path + q.toString();
        RawHttp.Response r;
        try {
            r = RawHttp.send(server.httpPort(), method, target, h, body);
        } catch (IOException e) {
            count("rest", 0);
            return 1; // a malformed request may be answered by closing the connection
        }
        count("rest", r.status());
        String what = method + " " + target + " -> " + r.status();
        if (r.status() >= 500) fail("5xx: " + what + " " + abbreviate(r.text()));
        if (r.status() / 100 == 2) {
            // a layout names cameras without showing them (LayoutResource: a tile of a camera the viewer may not
            // see shows "no right"), and the operator may save one naming any id
            if (!target.startsWith("/api/v1/layouts") && r.text().contains(OTHER)) fail("2xx naming " + OTHER + ": " + what + " " + abbreviate(r.text()));
            java.util.regex.Matcher m = MEDIA.matcher(target);
            if (m.lookingAt() && !java.net.URLDecoder.decode(m.group(1).replace("+", "%2B"), StandardCharsets.UTF_8)
                    .equals(GRANTED)) {
                fail("media of camera '" + idUsed + "' served: " + what);
            }
            if (target.split("\\?")[0].matches(".*/(snapshot\\.jpg|export\\.(jpg|mp4|zip))")) httpViews++;
        }
        return 1;
    }

    /** Login with other names (never locking the operator out) and logout with tokens that are not its own. */
    int restAuth(String template) throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        byte[] body = null;
        if (template.endsWith("logout")) {
            h.put("Authorization", pick(List.of("Bearer " + token + "x", "Bearer", "Basic Zm9vOmJhcg==", "")));
        } else {
            body = rnd.nextInt(2) == 0 ? body() : ApiClient.JSON.writeValueAsBytes(Map.of(
                    "username", pick(List.of("nobody", "x".repeat(500), "", "admin\r\n", "ot\u0000her")),
                    "password", scalar()));
            h.put("Content-Type", "application/json");
        }
        RawHttp.Response r = RawHttp.send(server.httpPort(), "POST", template, h, body);
        count("rest", r.status());
        if (r.status() >= 500) fail("5xx: POST " + template + " -> " + r.status() + " " + abbreviate(r.text()));
        if (r.status() / 100 == 2) fail("2xx: POST " + template + " with " + h + " " + abbreviate(r.text()));
        return 1;
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    // ---- the WebSocket protocol --------------------------------------------------------------------------------

    int webSocket(int messages) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.httpPort() + "/api/v1/stream");
        if (rnd.nextInt(10) == 0) {
            String auth = pick(List.of("Bearer " + token + "x", "Bearer ", "Basic Zm9vOmJhcg=="));
            try (StreamClient c = StreamClient.connect(uri, auth)) {
                fail("WebSocket upgrade accepted with " + auth);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof WebSocketHandshakeException h) {
                    int status = h.getResponse().statusCode();
                    count("websocket", status);
                    if (status >= 500) fail("5xx on a WebSocket upgrade with " + auth + ": " + status);
                } else {
                    count("websocket", 0);
                }
            }
            return 1;
        }
        int done = 0;
        // channel -> opens of the granted camera sent on it, and whether another camera was asked for on it
        Map<Integer, Integer> grantedOpens = new HashMap<>();
        Set<Integer> askedOther = new java.util.HashSet<>();
        int nextChannel = 1;
        try (StreamClient c = StreamClient.connect(uri, "Bearer " + token)) {
            count("websocket", 101);
            done++;
            for (int i = 1; i < messages && c.closeStatus == -1; i++) {
                int kind = rnd.nextInt(10);
                String msg;
                if (kind < 4) {
                    String cam = camera();
                    Object channel = rnd.nextInt(6) == 0 ? pick(List.<Object>of(-1, "1", 1.5, 2147483648L,
                            "null", 0, nextChannel - 1)) : nextChannel++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("op", "open");
                    if (!"null".equals(channel)) m.put("channel", channel);
                    m.put("camera", cam);
                    String mode = pick(List.of("live", "archive", "archive", "x", ""));
                    m.put("mode", mode);
                    if (rnd.nextBoolean()) m.put("from", date());
                    if (rnd.nextInt(3) == 0) m.put("rate", value("rate"));
                    if (rnd.nextInt(4) == 0) m.put("stream", pick(List.of("main", "sub", "x")));
                    if (rnd.nextInt(4) == 0) m.put("thenLive", rnd.nextBoolean());
                    if (channel instanceof Integer ch) {
                        if (cam.equals(GRANTED)) grantedOpens.merge(ch, 1, Integer::sum);
                        else askedOther.add(ch);
                    }
                    msg = ApiClient.JSON.writeValueAsString(m);
                } else if (kind < 8) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("op", pick(List.of("seek", "seek", "speed", "close", "pause", "resume", "step", "x")));
                    m.put("channel", rnd.nextInt(5) == 0 ? pick(List.<Object>of(-1, "a", 99999, 2147483647))
                            : 1 + rnd.nextInt(Math.max(1, nextChannel)));
                    m.put("to", date());
                    m.put("rate", value("rate"));
                    msg = ApiClient.JSON.writeValueAsString(m);
                } else {
                    msg = pick(List.of("{", "", "null", "[1]", "{\"op\":\"open\"}", "{\"op\":\"open\",\"channel\":1,"
                            + "\"camera\":\"cam-1\",\"camera\":\"cam-2\"}", "\u0000\u00ff", "x".repeat(70_000),
                            "{\"op\":".repeat(2000), "{\"op\":\"seek\",\"channel\":1,\"to\":1e99}"));
                }
                try {
                    c.send(msg);
                } catch (Exception e) {
                    break; // the server closed the connection (a protocol violation may)
                }
                count("websocket", 0);
                done++;
            }
            Thread.sleep(100);
            checkWebSocket(c, grantedOpens, askedOther);
        }
        return done;
    }

    void checkWebSocket(StreamClient c, Map<Integer, Integer> grantedOpens, Set<Integer> askedOther) {
        Map<Integer, Integer> opened = new HashMap<>();
        for (JsonNode e : c.events) {
            String ev = e.path("event").asText();
            int status = e.path("status").asInt(0);
            if (status >= 500) fail("5xx WebSocket event: " + e);
            if (ev.equals("opened") || ev.equals("format")) {
                if (!e.path("camera").asText().equals(GRANTED)) fail("WebSocket channel of another camera: " + e);
                if (ev.equals("opened")) {
                    opened.merge(e.path("channel").asInt(), 1, Integer::sum);
                    wsOpened++;
                }
            }
        }
        opened.forEach((ch, n) -> {
            if (n > grantedOpens.getOrDefault(ch, 0)) {
                fail("channel " + ch + " opened " + n + " times for " + grantedOpens.getOrDefault(ch, 0)
                        + " opens of " + GRANTED + (askedOther.contains(ch) ? " (another camera was asked on it)" : ""));
            }
        });
        for (int ch = 0; ch < 100_000; ch++) {
            if (c.headers(ch).isEmpty()) continue;
            wsFrames += c.headers(ch).size();
            if (!opened.containsKey(ch)) fail("WebSocket media on channel " + ch + " that was never opened");
        }
    }

    // ---- the RTSP re-stream ------------------------------------------------------------------------------------

    String rtspUrl() {
        String base = "rtsp://127.0.0.1:" + server.rtspPort();
        String kind = pick(List.of("live", "live", "archive", "x", ""));
        String q = kind.equals("archive") && rnd.nextBoolean() ? "?start=" + enc(date())
                + (rnd.nextBoolean() ? "&scale=" + enc(scalar()) : "") : "";
        if (rnd.nextInt(12) == 0) {
            return pick(List.of("*", base, base + "/", "rtsp://127.0.0.1/live/cam-1", "/live/cam-1",
                    base + "/live/cam-1 RTSP/1.0\r\nX: y", base + "/live/" + "a".repeat(5000), "rtsp://evil:1/live/cam-1",
                    base + "/%", base + "/live/cam-1/trackID=99999999999"));
        }
        return base + "/" + kind + "/" + camera() + (rnd.nextInt(5) == 0 ? "/sub" : "") + q;
    }

    Map<String, String> rtspHeaders(String method) {
        Map<String, String> h = new LinkedHashMap<>();
        if (method.equals("SETUP")) {
            h.put("Transport", rnd.nextInt(4) > 0 ? "RTP/AVP/TCP;unicast;interleaved=0-1" : pick(List.of(
                    "RTP/AVP/TCP;unicast;interleaved=254-255", "RTP/AVP/TCP;interleaved=300-301",
                    "RTP/AVP;unicast;client_port=9-10", "RTP/AVP;multicast", "RTP/AVP;unicast;client_port=70000-70001",
                    "RTP/AVP;unicast;destination=10.0.0.1;client_port=5000-5001", "", "x", "RTP/AVP/TCP;interleaved=a-b")));
        }
        if (method.equals("PLAY") && rnd.nextBoolean()) {
            h.put("Range", pick(List.of("npt=0.000-", "npt=now-", "clock=" + date().replace(":", "")
                    .replace("-", "") + "-", "clock=20260101T000000Z-", "npt=-5-", "npt=1e308-", "smpte=0:00:00-", "")));
        }
        if (method.equals("PLAY") && rnd.nextInt(4) == 0) h.put("Scale", scalar());
        if (rnd.nextInt(5) == 0) {
            String name = pick(List.of("Accept", "Session", "Content-Length", "Require", "Rate-Control"));
            // (a Content-Length with no body behind it is waited for, rightly: not sent)
            h.put(name, name.equals("Content-Length") ? pick(List.of("-1", "x", "0", "99999999999999999999"))
                    : pick(List.of("application/sdp", "12345678", "-1", "onvif-replay", "x".repeat(2000), "no", "0")));
        }
        return h;
    }

    int rtsp(int requests) throws Exception {
        int done = 0;
        try (RtspTestClient c = new RtspTestClient(server.rtspPort())) {
            int auth = rnd.nextInt(12);
            if (auth == 0) c.basicAuth("nobody", "wrong"); // (a wrong password of the operator's would lock it out)
            else if (auth == 1) c.basicAuth("fuzzer\r\nX-Injected: 1", PASSWORD);
            else if (auth == 2) c.basicAuth("other", "wrong");
            else if (auth != 3) c.basicAuth("fuzzer", PASSWORD);
            c.socket().setSoTimeout(3_000);
            boolean described = false;
            boolean setUp = false;
            boolean playing = false;
            List<String> steps = new ArrayList<>(List.of("DESCRIBE", "SETUP", "PLAY"));
            while (steps.size() < requests) {
                steps.add(pick(List.of("DESCRIBE", "SETUP", "PLAY", "OPTIONS", "TEARDOWN", "GET_PARAMETER",
                        "ANNOUNCE", "RECORD", "PAUSE", "SET_PARAMETER", "FOO")));
            }
            for (String method : steps.subList(0, requests)) {
                String url = rtspUrl();
                if (method.equals("SETUP")) url = url + (rnd.nextInt(4) > 0 ? "/trackID=0" : "");
                RtspTestClient.Reply r;
                long rt = System.nanoTime();
                try {
                    r = c.request(method, url, rtspHeaders(method));
                    rtspNanos.merge(method, System.nanoTime() - rt, Long::sum);
                } catch (IOException e) {
                    count("rtsp", 0);
                    return done + 1; // the server closed a connection that sent garbage
                }
                count("rtsp", r.status());
                done++;
                String what = method + " " + url + " -> " + r.status();
                if (r.status() >= 500 && !(r.status() == 501 && !Set.of("DESCRIBE", "SETUP", "PLAY", "OPTIONS",
                        "TEARDOWN", "GET_PARAMETER", "PAUSE").contains(method))) {
                    fail("RTSP 5xx: " + what + " " + abbreviate(r.body()));
                }
                if (r.status() / 100 == 2) {
                    String u = url.split("\\s")[0];
                    java.util.regex.Matcher m = NAMES_STREAM.matcher(u);
                    String named = m.matches() ? m.group(3) : null;
                    if (method.equals("DESCRIBE")) {
                        if (!GRANTED.equals(named)) fail("RTSP " + what + ": described another stream");
                        else described = true;
                        if (r.body().contains(OTHER)) fail("RTSP " + what + " names " + OTHER + ": " + r.body());
                    }
                    if (method.equals("SETUP")) {
                        if (named != null ? !named.equals(GRANTED) : !described) {
                            fail("RTSP " + what + ": set up another stream");
                        }
                        setUp = true;
                    }
                    if (method.equals("PLAY") && setUp && !playing) {
                        playing = true;
                        rtspPlays++;
                    }
                }
            }
            if (playing) {
                c.socket().setSoTimeout(300); // an archive PLAY past the recording sends nothing
                try {
                    for (int i = 0; i < 5; i++) {
                        c.readPacket();
                        rtpPackets++;
                    }
                } catch (IOException e) {
                    // an archive replay that ended, or a reply in the stream: fine
                }
            }
        }
        return done;
    }

    // ---- the audit trail ---------------------------------------------------------------------------------------

    /** Every view served is audited, each protocol counted apart (a WebSocket seek is a view of its own). */
    void checkAudit() throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L; // audit records are written off the event loops
        while (System.nanoTime() < deadline && !(audited("\"protocol\":\"rtsp\"") >= rtspPlays
                && audited("\"start\":\"open\"") >= wsOpened
                && views().size() - audited("\"protocol\":\"rtsp\"") - audited("\"via\":\"websocket\"") >= httpViews)) {
            Thread.sleep(100);
        }
        for (AuditRecord v : views()) {
            if (!GRANTED.equals(v.camera())) fail("the audit shows a view of another camera: " + v);
        }
        long rtsp = audited("\"protocol\":\"rtsp\"");
        long ws = audited("\"start\":\"open\"");
        long http = views().size() - rtsp - audited("\"via\":\"websocket\"");
        if (rtsp < rtspPlays) fail(rtspPlays + " RTSP plays served but " + rtsp + " audited");
        if (ws < wsOpened) fail(wsOpened + " WebSocket channels opened but " + ws + " audited");
        if (http < httpViews) fail(httpViews + " snapshots and exports served but " + http + " audited");
    }

    long audited(String detail) throws Exception {
        return views().stream().filter(v -> v.detail() != null && v.detail().contains(detail)).count();
    }

    List<AuditRecord> views() throws Exception {
        return server.audit().query(null, null, "fuzzer", null, null, 0, 1_000_000).stream()
                .filter(r -> r.action().startsWith("view.") || r.action().equals("export")).toList();
    }
}
