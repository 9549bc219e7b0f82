package org.vigie.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.ingest.CameraState;
import org.vigie.server.VmsServer;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditRecord;
import org.vigie.server.cli.VmsCommand;
import org.vigie.server.config.VmsConfig;
import org.vigie.playback.export.EvidenceBundle;
import org.vigie.playback.export.EvidenceVerifier;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.SimulatorOptions;
import picocli.CommandLine;
import org.vigie.testing.Await;
import org.vigie.testing.Ffprobe;

/**
 * Issue #5 acceptance for export, evidence, snapshot and timeline, through the server's own HTTP API: a 30 s export
 * plays in ffprobe with a duration within one GOP (2 s) of 30 s and starts on a key frame at or before the
 * requested start; HTTP ranges give exactly the bytes of the whole file; the reason is mandatory and audited; the
 * evidence bundle verifies offline ({@code vms verify}) and fails after one byte of the media or of the manifest
 * is changed; snapshots are JPEGs of the camera, live and at a past time; the timeline lists the span and the gap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportIT {

    static final String ADMIN_PASSWORD = "admin-password-1";
    static final double GOP_SECONDS = 2.0;

    @TempDir
    static Path dir;
    CameraSimulator simulator;
    VmsServer server;
    HttpClient http = HttpClient.newHttpClient();
    String token;
    Instant recordingStart;

    @BeforeAll
    void start() throws Exception {
        simulator = CameraSimulator.start(0, 1, SimulatorOptions.defaults());
        VmsConfig config = VmsConfig.parse("""
                storage: { path: '%s', segment-duration: 10s }
                server: { http-port: 0, rtsp-port: 0, bind-address: 127.0.0.1 }
                auth: { admin-password: '%s', argon2-memory-kib: 8, argon2-iterations: 1 }
                cameras:
                  - { id: cam-1, name: 'Place du Capitole', url: '%s', group: centre }
                """.formatted(dir.resolve("storage"), ADMIN_PASSWORD, simulator.url(simulator.cameraIds().get(0))));
        server = VmsServer.start(config, InstantSource.system());
        Await.until("camera streaming", Duration.ofSeconds(30),
                () -> server.cameras().get("cam-1").orElseThrow().state() == CameraState.STREAMING);
        recordingStart = Instant.now();
        token = login("admin", ADMIN_PASSWORD);
        Thread.sleep(40_000); // 40 s recorded: a 30 s window with margins
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null) server.close();
        if (simulator != null) simulator.close();
    }

    String login(String user, String password) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body()).path("token").asText();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.httpPort() + pathAndQuery);
    }

    Instant windowStart() {
        return recordingStart.plusSeconds(5).plusMillis(700).truncatedTo(ChronoUnit.MILLIS);
    }

    String exportQuery(String ext, Instant from, Instant to, String reason) {
        return "/api/v1/cameras/cam-1/export." + ext + "?from=" + from + "&to=" + to
                + (reason == null ? "" : "&reason=" + URLEncoder.encode(reason, StandardCharsets.UTF_8));
    }

    HttpResponse<byte[]> get(String pathAndQuery, String bearer, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).GET();
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        if (range != null) b.header("Range", range);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aThirtySecondExportPlaysInFfprobeWithinOneGopOfThirtySeconds() throws Exception {
        Instant from = windowStart();
        Instant to = from.plusSeconds(30);
        HttpResponse<byte[]> r = get(exportQuery("mp4", from, to, "réquisition OPJ 2026/118"), token, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
        assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        Instant start = Instant.parse(r.headers().firstValue("X-Export-Start").orElseThrow());
        assertThat(start).isBeforeOrEqualTo(from).isAfter(from.minusSeconds(2));
        Path mp4 = dir.resolve("export.mp4");
        Files.write(mp4, r.body());

        JsonNode format = Ffprobe.json("ffprobe", "-v", "error", "-show_entries", "format=duration,format_name",
                "-of", "json", mp4.toString());
        double declared = format.path("format").path("duration").asDouble();
        Ffprobe.Probe p = Ffprobe.probe(mp4);
        assertThat(p.codec()).isEqualTo("h264");
        assertThat(p.firstFrameKey()).isTrue();
        assertThat(p.durationSeconds()).as("duration of the packets").isBetween(30 - GOP_SECONDS, 30 + GOP_SECONDS);
        assertThat(declared).as("duration the file declares").isCloseTo(p.durationSeconds(),
                org.assertj.core.data.Offset.offset(0.05));
        // frames counted by GStreamer's decoder (its own demuxer), against the duration the file declares
        int decoded = Ffprobe.decodedFrames(mp4);
        assertThat(decoded).as("frames GStreamer decodes, against ffprobe's packets").isEqualTo(p.frames());
        assertThat((double) decoded).as("frames decoded, 25 fps x the declared %.3f s", declared)
                .isCloseTo(25 * declared, org.assertj.core.data.Offset.offset(1.0));
        // decodes without an error from start to end
        Ffprobe.json("ffmpeg", "-v", "error", "-i", mp4.toString(), "-f", "null", "-");

        List<AuditRecord> exports = server.audit().query(null, null, "admin", "cam-1", AuditAction.EXPORT, 0, 100);
        assertThat(exports).anySatisfy(a -> assertThat(a.detail()).contains("réquisition OPJ 2026/118")
                .contains(from.toString()));
        // the register of recordings is in the store (issue 13): the export is listed there, once
        assertThat(server.retention().register().query(java.time.Instant.EPOCH,
                java.time.Instant.now().plusSeconds(60), "cam-1",
                org.vigie.recorder.retention.RegisterEntry.Kind.EXPORT, 100)).hasSize(1);
    }

    @Test
    void rangesGiveExactlyTheBytesOfTheWholeFile() throws Exception {
        Instant from = windowStart();
        String q = exportQuery("mp4", from, from.plusSeconds(8), "range test");
        byte[] whole = get(q, token, null).body();
        HttpResponse<byte[]> part = get(q, token, "bytes=1000-5999");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 1000-5999/" + whole.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole, 1000, 6000));
        // a range across fragment headers and payloads, from the middle to the end
        int mid = whole.length / 2 - 17;
        assertThat(get(q, token, "bytes=" + mid + "-").body()).isEqualTo(Arrays.copyOfRange(whole, mid, whole.length));
        assertThat(get(q, token, "bytes=-100").body()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 100, whole.length));
        HttpResponse<byte[]> beyond = get(q, token, "bytes=" + whole.length + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + whole.length);
    }

    @Test
    void anExportNeedsAReasonATokenAndTheExportRight() throws Exception {
        Instant from = windowStart();
        assertThat(get(exportQuery("mp4", from, from.plusSeconds(5), null), token, null).statusCode()).isEqualTo(400);
        assertThat(get(exportQuery("mp4", from, from.plusSeconds(5), "  "), token, null).statusCode()).isEqualTo(400);
        assertThat(get(exportQuery("mp4", from, from.plusSeconds(5), "x"), null, null).statusCode()).isEqualTo(401);
        assertThat(get(exportQuery("mp4", from.plusSeconds(5), from, "x"), token, null).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/cameras/nope/export.mp4?from=" + from + "&to=" + from.plusSeconds(5) + "&reason=x",
                token, null).statusCode()).isEqualTo(404);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(uri("/api/v1/users"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"olga\",\"password\":\"olga-password\","
                        + "\"role\":\"operator\",\"groups\":[\"centre\"]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String operator = login("olga", "olga-password");
        assertThat(get(exportQuery("mp4", from, from.plusSeconds(5), "x"), operator, null).statusCode()).isEqualTo(403);
        assertThat(server.audit().query(null, null, "olga", "cam-1", AuditAction.ACCESS_DENIED, 0, 10)).isNotEmpty();
        // the operator may watch: snapshot allowed
        assertThat(get("/api/v1/cameras/cam-1/snapshot.jpg", operator, null).statusCode()).isEqualTo(200);
    }

    @Test
    void theEvidenceBundleVerifiesAndFailsAfterOneChangedByte() throws Exception {
        Instant from = windowStart();
        HttpResponse<byte[]> r = get(exportQuery("zip", from, from.plusSeconds(10), "plainte 2026-118"), token, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/zip");
        Path zip = dir.resolve("bundle.zip");
        Files.write(zip, r.body());
        String fingerprint = server.playback().signer().fingerprint();
        assertThat(EvidenceVerifier.verify(zip, fingerprint).problems()).isEmpty();
        assertThat(verifyCommand(zip.toString(), "--key-fingerprint", fingerprint)).isZero();
        assertThat(verifyCommand(zip.toString(), "--key-fingerprint", "SHA256:00")).isEqualTo(1);
        JsonNode manifest = EvidenceVerifier.verify(zip, null).manifest();
        assertThat(manifest.path("camera").path("name").asText()).isEqualTo("Place du Capitole");
        assertThat(manifest.path("camera").path("group").asText()).isEqualTo("centre");
        assertThat(manifest.path("operator").asText()).isEqualTo("admin");
        assertThat(manifest.path("reason").asText()).isEqualTo("plainte 2026-118");

        Path folder = unzip(zip, dir.resolve("bundle"));
        assertThat(verifyCommand(folder.toString())).as("intact, but no fingerprint: unverified signer").isEqualTo(2);
        assertThat(verifyCommand(folder.toString(), "--key-fingerprint", fingerprint)).isZero();
        Ffprobe.Probe p = Ffprobe.probe(folder.resolve(EvidenceBundle.MEDIA));
        assertThat(p.durationSeconds()).isBetween(10 - GOP_SECONDS, 10 + GOP_SECONDS);

        Path media = folder.resolve(EvidenceBundle.MEDIA);
        flip(media, Files.size(media) / 2);
        EvidenceVerifier.Result changedMedia = EvidenceVerifier.verify(folder, fingerprint);
        assertThat(changedMedia.problems()).anySatisfy(s -> assertThat(s).contains("SHA-256"));
        assertThat(verifyCommand(folder.toString())).isEqualTo(1);
        flip(media, Files.size(media) / 2); // restored
        assertThat(EvidenceVerifier.verify(folder, fingerprint).valid()).isTrue();

        Path manifestFile = folder.resolve(EvidenceBundle.MANIFEST);
        String text = Files.readString(manifestFile);
        flip(manifestFile, text.indexOf("plainte") + 2);
        assertThat(EvidenceVerifier.verify(folder, fingerprint).problems())
                .anySatisfy(s -> assertThat(s).contains("signature does not verify"));

        Path zipCopy = dir.resolve("bundle-changed.zip");
        Files.copy(zip, zipCopy);
        flip(zipCopy, Files.size(zipCopy) / 3); // inside the media entry
        assertThat(EvidenceVerifier.verify(zipCopy, fingerprint).valid()).isFalse();
    }

    @Test
    void snapshotsAreJpegsOfTheCameraLiveAndAtAPastTime() throws Exception {
        for (String q : List.of("/api/v1/cameras/cam-1/snapshot.jpg",
                "/api/v1/cameras/cam-1/snapshot.jpg?at=" + windowStart().plusSeconds(3))) {
            HttpResponse<byte[]> r = get(q, token, null);
            assertThat(r.statusCode()).as(q + " " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            Path jpeg = dir.resolve("snapshot.jpg");
            Files.write(jpeg, r.body());
            JsonNode probe = Ffprobe.json("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
                    "-of", "json", jpeg.toString());
            assertThat(probe.path("streams").path(0).path("codec_name").asText()).isEqualTo("mjpeg");
            assertThat(probe.path("streams").path(0).path("width").asInt()).isEqualTo(1280);
            assertThat(probe.path("streams").path(0).path("height").asInt()).isEqualTo(720);
        }
        assertThat(get("/api/v1/cameras/cam-1/snapshot.jpg?at=2001-01-01T00:00:00Z", token, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void theTimelineListsTheRecordedSpanAndTheGapBeforeIt() throws Exception {
        Instant from = recordingStart.minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        Instant to = recordingStart.plusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
        HttpResponse<byte[]> r = get("/api/v1/cameras/cam-1/recordings?from=" + from + "&to=" + to, token, null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode t = new ObjectMapper().readTree(r.body());
        assertThat(t.path("spans")).hasSize(1);
        assertThat(t.path("gaps")).hasSize(1);
        assertThat(Instant.parse(t.path("gaps").path(0).path("start").asText())).isEqualTo(from);
        Instant spanStart = Instant.parse(t.path("spans").path(0).path("start").asText());
        assertThat(spanStart).isBetween(recordingStart.minusSeconds(5), recordingStart.plusSeconds(1));
        assertThat(Instant.parse(t.path("spans").path(0).path("end").asText())).isEqualTo(to);
        assertThat(t.has("events")).isTrue();
        assertThat(t.has("bookmarks")).isTrue();
    }

    @Test
    void theServerServesItsRtspReStreamWithItsOwnUsers() throws Exception {
        String base = "rtsp://admin:" + ADMIN_PASSWORD + "@127.0.0.1:" + server.rtspPort();
        JsonNode live = Ffprobe.json("ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_entries",
                "stream=codec_name", "-of", "json", base + "/live/cam-1");
        assertThat(live.path("streams").path(0).path("codec_name").asText()).isEqualTo("h264");
        JsonNode archived = Ffprobe.json("ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-read_intervals", "%+2",
                "-show_entries", "packet=flags", "-of", "json",
                base + "/archive/cam-1?start=" + org.vigie.rtsp.header.Range.formatClock(windowStart()));
        assertThat(archived.path("packets").size()).isGreaterThan(20);
        assertThat(server.audit().query(null, null, "admin", "cam-1", AuditAction.ARCHIVE_VIEW, 0, 100)).isNotEmpty();
    }

    static int verifyCommand(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "verify";
        System.arraycopy(args, 0, all, 1, args.length);
        return new CommandLine(new VmsCommand()).execute(all);
    }

    static void flip(Path file, long position) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x01));
            b.rewind();
            ch.write(b, position);
        }
    }

    static Path unzip(Path zip, Path to) throws IOException {
        Files.createDirectories(to);
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                Files.copy(z, to.resolve(e.getName()));
            }
        }
        return to;
    }
}
