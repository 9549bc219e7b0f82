package org.vigie.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.playback.export.EvidenceVerifier;
import org.vigie.recorder.mp4.FragmentInfo;
import org.vigie.recorder.mp4.SegmentScan;
import org.vigie.recorder.mp4.SegmentScanner;
import org.vigie.recorder.retention.RegisterEntry;
import org.vigie.server.VmsServer;
import org.vigie.testing.ApiClient;
import org.vigie.testing.Await;
import org.vigie.testing.Ffprobe;
import org.vigie.testing.LumaRange;

/**
 * Issue 13, an export across a failover is one file: a camera recorded on rec-01, then (rec-01 stopped) on rec-02,
 * then rec-01 back (it does not take the camera back before its rebalance delay). An export over both parts, asked
 * of either node, is one MP4 that plays in ffprobe, holds frames of both parts in time order, lasts the window
 * minus the handover gap, and is registered once; its evidence bundle verifies. With a privacy mask, the export asked
 * of either node is still one file of both parts, black under the mask, and a user's {@code part=cluster} gets no
 * unmasked picture. Two nodes in this JVM ({@link TwoNodeCluster}), free ports only.
 */
class ClusterStitchedExportIT {

    @TempDir
    Path dir;

    @Test
    void anExportAcrossAFailoverIsOneFileFromEitherNode() throws Exception {
        try (TwoNodeCluster cluster = new TwoNodeCluster(dir, "stitch", "10m")) {
            cluster.startBoth();
            String cam = cluster.camera();
            VmsServer r2 = cluster.node(2);
            ApiClient admin2 = cluster.admin(2);
            Await.until("6 s of the camera on rec-01 in rec-02's timeline", Duration.ofSeconds(60),
                    () -> heldSeconds(cluster.timeline(admin2), "rec-01") >= 6);

            // rec-01 stops: the camera goes to rec-02; rec-01 comes back and leaves it there (rebalance delay)
            cluster.stop(1);
            Instant handover = Instant.now();
            Await.until("the camera recorded by rec-02", Duration.ofSeconds(30),
                    () -> r2.cluster().recording().contains(cam));
            VmsServer r1 = cluster.start(1);
            Await.until("rec-01 back", Duration.ofSeconds(30), () -> r2.cluster().view().nodes().size() == 2
                    && r1.cluster().view().nodes().size() == 2);
            ApiClient admin1 = cluster.admin(1);
            // rec-01 recorded nothing after it stopped: what its timeline shows after that is rec-02's
            Await.until("6 s of the camera after the handover (rec-02's) in rec-01's timeline",
                    Duration.ofSeconds(60), () -> lastEnd(cluster.timeline(admin1)).isAfter(handover.plusSeconds(6)));
            assertThat(r2.cluster().recording()).contains(cam);

            JsonNode spans = ApiClient.json(admin1.get("/api/v1/cameras/" + cam + "/recordings?from="
                    + handover.minusSeconds(600) + "&to=" + Instant.now().plusSeconds(5))).path("spans");
            Instant from = Instant.parse(spans.path(0).path("start").asText()).plusSeconds(1);
            Instant to = Instant.parse(spans.path(spans.size() - 1).path("end").asText()).minusSeconds(1);

            for (int asked : new int[] {1, 2}) {
                ApiClient api = asked == 1 ? admin1 : admin2;
                HttpResponse<byte[]> export = export(api, cam, "mp4", from, to);
                assertThat(export.statusCode()).as(new String(export.body())).isEqualTo(200);
                Path file = dir.resolve("stitched-" + asked + ".mp4");
                Files.write(file, export.body());
                Ffprobe.Probe p = Ffprobe.probe(file);
                assertThat(p.codec()).isEqualTo("h264");
                // frames of both parts, in time order, by the UTC time of each fragment
                int before = 0;
                int after = 0;
                long lastWall = Long.MIN_VALUE;
                long lastEnd = 0;
                long firstAfter = 0;
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    SegmentScan scan = SegmentScanner.scan(ch);
                    assertThat(scan.clean()).as(scan.problem()).isTrue();
                    for (FragmentInfo f : scan.fragments()) {
                        assertThat(f.wallMicros()).as("fragments in time order").isGreaterThan(lastWall);
                        lastWall = f.wallMicros();
                        long endMicros = f.wallMicros() + f.durationTicks() * 1000 / 90;
                        if (f.wallMicros() < micros(handover)) {
                            before += f.samples().size();
                            lastEnd = endMicros;
                        } else {
                            if (after == 0) firstAfter = f.wallMicros();
                            after += f.samples().size();
                        }
                    }
                }
                double window = Duration.between(from, to).toMillis() / 1000.0;
                double gap = (firstAfter - lastEnd) / 1e6;
                System.out.printf("asked of rec-0%d: %d frames before the handover, %d after, handover gap %.2f s,"
                        + " window %.2f s, ffprobe duration %.2f s, %s parts, gaps %s%n", asked, before, after,
                        gap, window, p.durationSeconds(), export.headers().firstValue("X-Export-Parts").orElse("-"),
                        export.headers().firstValue("X-Export-Gaps").orElse("none"));
                assertThat(before).as("frames recorded by rec-01 (asked of rec-0" + asked + ")").isGreaterThan(50);
                assertThat(after).as("frames recorded by rec-02 (asked of rec-0" + asked + ")").isGreaterThan(50);
                assertThat(p.frames()).isEqualTo(before + after);
                assertThat(gap).isBetween(-0.5, 15.0);
                // the window minus the handover gap, give or take the key frame before 'from'
                assertThat(p.durationSeconds()).isBetween(window - gap - 1.5, window - gap + 2.5);
            }

            // the evidence bundle of the same window: one video of both parts, and it verifies
            HttpResponse<byte[]> zip = export(admin2, cam, "zip", from, to);
            assertThat(zip.statusCode()).as(new String(zip.body())).isEqualTo(200);
            Path bundle = dir.resolve("stitched.zip");
            Files.write(bundle, zip.body());
            EvidenceVerifier.Result verified = EvidenceVerifier.verify(bundle, null);
            assertThat(verified.problems()).isEmpty();

            Instant now = Instant.now().plusSeconds(60);
            var registered = r2.retention().register().query(Instant.EPOCH, now, cam, RegisterEntry.Kind.EXPORT,
                    100);
            // the same window by the same user the same day is one export (one id); no node registered its part
            assertThat(registered).as(registered.toString()).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.from()).isEqualTo(from))
                    .allSatisfy(e -> assertThat(e.to()).isEqualTo(to));
            assertThat(registered.stream().map(RegisterEntry::id).distinct()).hasSize(1);

            // a privacy mask on the left half: the export asked of either node is still one file of both parts
            // (gathered unmasked from the other node), black under the mask
            HttpResponse<String> put = admin2.send("PUT", "/api/v1/cameras/" + cam + "/masks",
                    "{\"masks\":[{\"id\":\"left\",\"kind\":\"permanent\",\"polygon\":[[0,0],[0.5,0],"
                            + "[0.5,1],[0,1]]}]}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            for (int asked : new int[] {1, 2}) {
                ApiClient api = asked == 1 ? admin1 : admin2;
                HttpResponse<byte[]> export = export(api, cam, "mp4", from, to);
                assertThat(export.statusCode()).as(new String(export.body())).isEqualTo(200);
                assertThat(export.headers().firstValue("X-Export-Masks")).get().isNotEqualTo("0");
                Path file = Files.write(dir.resolve("masked-" + asked + ".mp4"), export.body());
                int[] split = framesBeforeAndAfter(file, handover);
                System.out.printf("masked, asked of rec-0%d: %d frames before the handover, %d after, %s parts%n",
                        asked, split[0], split[1], export.headers().firstValue("X-Export-Parts").orElse("-"));
                assertThat(split[0]).as("masked: frames recorded by rec-01 (asked of rec-0" + asked + ")")
                        .isGreaterThan(50);
                assertThat(split[1]).as("masked: frames recorded by rec-02 (asked of rec-0" + asked + ")")
                        .isGreaterThan(50);
                assertBlackUnderTheMask(file, split[0] + split[1]);
            }
            // the masked evidence bundle of the same window, asked of rec-01: both parts, and it verifies
            HttpResponse<byte[]> maskedZip = export(admin1, cam, "zip", from, to);
            assertThat(maskedZip.statusCode()).as(new String(maskedZip.body())).isEqualTo(200);
            assertThat(maskedZip.headers().firstValue("X-Export-Parts")).contains("2");
            Path maskedBundle = Files.write(dir.resolve("masked.zip"), maskedZip.body());
            assertThat(EvidenceVerifier.verify(maskedBundle, null).problems()).isEmpty();
            // a user's part=cluster gets no unmasked bytes: neither from the node asked nor relayed (the window
            // after the handover is rec-02's alone: asked of rec-01, it is relayed)
            for (Instant partFrom : new Instant[] {from, handover.plusSeconds(3)}) {
                HttpResponse<byte[]> sneaky = admin1.bytes("/api/v1/cameras/" + cam + "/export.mp4?from="
                        + partFrom + "&to=" + to + "&reason=stitch-it&part=cluster", Duration.ofSeconds(90));
                assertThat(sneaky.statusCode()).as(new String(sneaky.body())).isEqualTo(200);
                Path file = Files.write(dir.resolve("sneaky.mp4"), sneaky.body());
                int[] split = framesBeforeAndAfter(file, handover);
                assertBlackUnderTheMask(file, split[0] + split[1]);
            }

            // rec-02 stops: the same export asked of rec-01 is its own part, and says that the rest is on a node
            // that is down
            cluster.stop(2);
            Await.until("rec-02 out of rec-01's membership", Duration.ofSeconds(30),
                    () -> r1.cluster().view().nodes().size() == 1);
            HttpResponse<byte[]> partial = export(admin1, cam, "mp4", from, to);
            assertThat(partial.statusCode()).as(new String(partial.body())).isEqualTo(200);
            assertThat(partial.headers().firstValue("X-Export-Gaps")).get().asString()
                    .contains("held by node rec-02, which is down");
            Ffprobe.Probe p = Ffprobe.probe(partial.body(), dir, "partial");
            assertThat(p.codec()).isEqualTo("h264");
            assertThat(p.durationSeconds()).isLessThan(Duration.between(from, handover).toMillis() / 1000.0 + 1);
        }
    }

    /** The pictures of an export in fragments that start before and after {@code t} (UTC). */
    static int[] framesBeforeAndAfter(Path file, Instant t) throws Exception {
        int[] split = new int[2];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SegmentScan scan = SegmentScanner.scan(ch);
            assertThat(scan.clean()).as(scan.problem()).isTrue();
            for (FragmentInfo f : scan.fragments()) split[f.wallMicros() < micros(t) ? 0 : 1] += f.samples().size();
        }
        return split;
    }

    /** Every picture uniform black under the mask (the left half of 320x240), by ffmpeg's signalstats. */
    static void assertBlackUnderTheMask(Path file, int frames) throws Exception {
        List<LumaRange.Frame> under = LumaRange.of(file.toString(), List.of(), 0, 0, 156, 236, 100_000);
        assertThat(under).hasSize(frames).allSatisfy(f -> assertThat(f.range()).as("luma range under the mask")
                .isLessThanOrEqualTo(4)).allSatisfy(f -> assertThat(f.max()).as("luma under the mask").isLessThan(40));
    }

    /** Seconds held by {@code node} in a recordings timeline. */
    static double heldSeconds(JsonNode t, String node) {
        double s = 0;
        for (JsonNode span : t.path("spans")) {
            if (!span.path("nodes").toString().contains(node)) continue;
            s += Duration.between(Instant.parse(span.path("start").asText()),
                    Instant.parse(span.path("end").asText())).toMillis() / 1000.0;
        }
        return s;
    }

    /** The end of the last span of a recordings timeline. */
    static Instant lastEnd(JsonNode timeline) {
        JsonNode spans = timeline.path("spans");
        return spans.isEmpty() ? Instant.EPOCH : Instant.parse(spans.path(spans.size() - 1).path("end").asText());
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    static HttpResponse<byte[]> export(ApiClient api, String cam, String ext, Instant from, Instant to)
            throws Exception {
        return api.bytes("/api/v1/cameras/" + cam + "/export." + ext + "?from=" + from + "&to=" + to
                + "&reason=stitch-it", Duration.ofSeconds(90));
    }
}
