package org.vigie.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.playback.export.EvidenceVerifier;
import org.vigie.server.VmsServer;
import org.vigie.testing.ApiClient;
import org.vigie.server.api.TestServers;
import org.vigie.testing.LumaRange;
import org.vigie.testing.TestClip;

/**
 * Issue 14's acceptance through the server's HTTP API: with a permanent mask over the top-left quarter of a camera
 * (put through the masks API), export.mp4, the evidence bundle's video and snapshot.jpg are uniform black under the
 * mask in every frame ffmpeg decodes and show the moving test pattern elsewhere; the export covers the asked window
 * exactly, names the mask version, and the bundle verifies.
 */
class BurnInApiTest {

    @TempDir
    static Path dir;
    static VmsServer server;
    static ApiClient admin;
    static Instant start;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        // one volume with a small free-space target: the clip must not be swept away on a nearly full test machine
        String yaml = TestServers.yaml(dir, """

                  - { id: cam-m, url: 'rtsp://127.0.0.1:9/m', group: district-1, enabled: false }
                """).replace("storage: { path: '" + dir.resolve("recordings") + "', segment-duration: 10s }",
                "storage: { volumes: [{ path: '" + dir.resolve("recordings") + "', min-free: 1MB }], segment-duration: 10s }");
        assertThat(yaml).contains("min-free: 1MB");
        server = VmsServer.start(org.vigie.server.config.VmsConfig.parse(yaml), java.time.InstantSource.system(),
                new org.vigie.systemd.SystemdNotifier(null, null), null);
        admin = new ApiClient(server.httpPort()).login("admin", TestServers.ADMIN_PASSWORD);
        start = Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        TestClip clip = TestClip.of(100);
        StreamKey key = StreamKey.main("cam-m");
        FrameSink sink = server.recorder().sink(key);
        long t0 = start.getEpochSecond() * 1_000_000L;
        int frames = 4 * clip.fps;
        for (int n = 0; n < frames; n++) sink.onFrame(clip.frame(41, n, t0));
        sink.onSessionEnd(41);
        TestServers.await("the clip on disk", Duration.ofSeconds(30), () ->
                server.recorder().stats(key).orElseThrow().framesWritten() >= frames
                        && server.recorder().catalog().last(key)
                        .map(s -> !server.recorder().openSegments().isOpen(s.segment())).orElse(false));
        HttpResponse<String> put = admin.send("PUT", "/api/v1/cameras/cam-m/masks", Map.of("masks", List.of(
                Map.of("id", "home", "kind", "permanent", "polygon", List.of(List.of(0.0, 0.0), List.of(0.5, 0.0),
                        List.of(0.5, 0.5), List.of(0.0, 0.5))))));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private Path get(String pathAndQuery, String file, int status) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                        + pathAndQuery)).header("Authorization", "Bearer " + admin.token())
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(status);
        return Files.write(dir.resolve(file), r.body());
    }

    private static void assertMasked(Path media, int frames) throws Exception {
        List<LumaRange.Frame> under = LumaRange.of(media.toString(), List.of(), 0, 0, TestClip.WIDTH / 2 - 4,
                TestClip.HEIGHT / 2 - 4, 1000);
        assertThat(under).hasSize(frames).allSatisfy(f -> assertThat(f.range()).as("luma range under the mask")
                .isLessThanOrEqualTo(4));
        assertThat(LumaRange.of(media.toString(), List.of(), TestClip.WIDTH / 2, TestClip.HEIGHT / 2,
                TestClip.WIDTH / 2, TestClip.HEIGHT / 2, 1000)).hasSize(frames)
                .allSatisfy(f -> assertThat(f.range()).as("luma range outside the mask").isGreaterThan(50));
    }

    @Test
    void theExportAndTheBundleAreMaskedCoverTheAskedWindowAndNameTheMaskVersion() throws Exception {
        Instant from = start.plusMillis(1520);
        Instant to = start.plusMillis(3520);
        String q = "?from=" + from + "&to=" + to + "&reason=r%C3%A9quisition";
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                        + "/api/v1/cameras/cam-m/export.mp4" + q)).header("Authorization", "Bearer " + admin.token())
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Export-Start")).contains(from.toString());
        assertThat(r.headers().firstValue("X-Export-End")).contains(to.toString());
        assertThat(r.headers().firstValue("X-Export-Masks")).contains("1");
        Path mp4 = Files.write(dir.resolve("export.mp4"), r.body());
        assertMasked(mp4, 50);

        Path zip = get("/api/v1/cameras/cam-m/export.zip" + q, "export.zip", 200);
        EvidenceVerifier.Result v = EvidenceVerifier.verify(zip, null);
        assertThat(v.problems()).isEmpty();
        assertThat(v.manifest().path("privacyMasks").path("version").asLong()).isEqualTo(1);
        assertThat(v.manifest().path("start").asText()).isEqualTo(from.toString());
        Path video = dir.resolve("bundle.mp4");
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            Files.write(video, z.getInputStream(z.getEntry("export.mp4")).readAllBytes());
        }
        assertMasked(video, 50);
        TestServers.await("the masked exports' files deleted once sent", Duration.ofSeconds(10), () -> {
            try (var files = Files.walk(dir)) {
                return files.noneMatch(p -> p.getFileName().toString().startsWith("export-cam-m-"));
            }
        });
    }

    /**
     * A masked export.mp4 is streamed as it is encoded: a HEAD says its times, duration and mask version without
     * making it, and no length; a Range request gets the whole body with 200 (no ranges on a masked export).
     */
    @Test
    void aMaskedExportIsStreamedHeadSaysWhatItWillBeAndRangesGetTheWholeBody() throws Exception {
        Instant from = start.plusMillis(1520);
        Instant to = start.plusMillis(3520);
        URI uri = URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/cameras/cam-m/export.mp4?from="
                + from + "&to=" + to + "&reason=r");
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer "
                + admin.token()).method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60))
                .build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("X-Export-Start")).contains(from.toString());
        assertThat(head.headers().firstValue("X-Export-End")).contains(to.toString());
        assertThat(head.headers().firstValue("X-Export-Duration")).contains("2.0");
        assertThat(head.headers().firstValue("X-Export-Masks")).contains("1");
        assertThat(head.headers().firstValue("Accept-Ranges")).contains("none");
        assertThat(head.headers().firstValue("Content-Length")).isEmpty();

        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer "
                + admin.token()).header("Range", "bytes=100-199").timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as("a masked export has no ranges: the whole body").isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Range")).isEmpty();
        assertMasked(Files.write(dir.resolve("ranged.mp4"), r.body()), 50);
    }

    @Test
    void beyondMaxTranscodesAMaskedExportIs503WithTheReasonAndTheMetricsCountIt() throws Exception {
        org.vigie.playback.privacy.BurnIn burnIn = server.playback().burnIn();
        java.util.List<org.vigie.playback.privacy.BurnIn.Slot> held = new java.util.ArrayList<>();
        try {
            while (burnIn.active() < burnIn.maxTranscodes()) held.add(burnIn.acquire());
            Path body = get("/api/v1/cameras/cam-m/export.mp4?from=" + start.plusSeconds(1) + "&to=" + start.plusSeconds(2)
                    + "&reason=r", "busy.json", 503);
            assertThat(Files.readString(body)).contains("too many masked transcodings in progress (privacy.max-transcodes = 4)");
        } finally {
            held.forEach(org.vigie.playback.privacy.BurnIn.Slot::close);
        }
        String metrics = admin.get("/metrics").body();
        assertThat(metrics).contains("vms_privacy_transcodes_refused_total 1.0", "vms_privacy_transcodes_max 4.0",
                "vms_privacy_transcodes_active 0.0");
    }

    @Test
    void theSnapshotIsMasked() throws Exception {
        Path jpg = get("/api/v1/cameras/cam-m/snapshot.jpg?at=" + start.plusMillis(2480), "snapshot.jpg", 200);
        assertMasked(jpg, 1);
    }
}
