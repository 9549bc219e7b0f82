package org.vigie.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.VmsServer;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditRecord;
import org.vigie.server.cluster.NodeCredentials;
import org.vigie.testing.ApiClient;
import org.vigie.testing.Await;
import org.vigie.testing.Ffprobe;
import org.vigie.testing.StreamClient;

/**
 * Issue 13, one system: two nodes (in this JVM) of a cluster over a real ZooKeeper and a throwaway PostgreSQL, one
 * simulated camera pinned to rec-01 ({@link TwoNodeCluster}). Asked of rec-02, which does not hold it: a live and an
 * archive WebSocket channel and an export.mp4 are relayed from rec-01 and play in ffprobe, a snapshot is a JPEG, each
 * audited once; the timeline of rec-02 shows rec-01's spans (the span catalogue); node-to-node calls without the
 * cluster's secret, or with another one, are refused (401); once rec-01 is stopped its archive is a gap with its
 * reason on rec-02. Free ports only.
 */
class ClusterProxyIT {

    @TempDir
    Path dir;

    @Test
    void aCameraAskedOfTheNodeThatDoesNotHoldItIsRelayedFromTheOne() throws Exception {
        try (TwoNodeCluster cluster = new TwoNodeCluster(dir, "proxy", "1m")) {
            cluster.startBoth();
            String cam = cluster.camera();
            VmsServer r2 = cluster.node(2);
            ApiClient admin2 = cluster.admin(2);
            String token = admin2.token();
            // the camera's state metric on rec-02, which does not record it: rec-01's state, not "disabled"
            Await.until("rec-02's vms_camera_state of the camera streaming", Duration.ofSeconds(30),
                    () -> r2.metrics().scrape().lines().anyMatch(l -> l.startsWith("vms_camera_state{camera=\"" + cam
                            + "\",state=\"streaming\",stream=\"main\"") && l.endsWith(" 1.0")),
                    () -> r2.metrics().scrape().lines()
                            .filter(l -> l.startsWith("vms_camera_state{camera=\"" + cam)).toList().toString());

            // a live channel asked of rec-02: relayed from rec-01, plays in ffprobe
            try (StreamClient c = StreamClient.connect(cluster.stream(2), "Bearer " + token)) {
                c.open(1, cam, "live", null);
                Await.until("10 live fragments relayed through rec-02", Duration.ofSeconds(30),
                        () -> c.fragments(1) >= 10, () -> c.events.toString());
                c.close();
                Ffprobe.Probe p = Ffprobe.probe(c.media(1), dir, "relayed-live");
                assertThat(p.codec()).isEqualTo("h264");
                assertThat(p.frames()).isEqualTo((int) c.fragments(1));
                assertThat(c.events.stream().filter(e -> e.path("event").asText().equals("opened")).count())
                        .isEqualTo(1);
            }

            // the timeline of rec-02 has rec-01's spans (the catalogue), then an export asked of rec-02
            Instant[] span = new Instant[2];
            Await.until("rec-01's span of the camera in rec-02's timeline, 4 s long", Duration.ofSeconds(30), () -> {
                JsonNode s = cluster.timeline(admin2).path("spans").path(0);
                if (s.isMissingNode() || !s.path("nodes").toString().contains("rec-01")) return false;
                span[0] = Instant.parse(s.path("start").asText());
                span[1] = Instant.parse(s.path("end").asText());
                return Duration.between(span[0], span[1]).toSeconds() >= 4;
            });
            HttpResponse<byte[]> export = admin2.bytes("/api/v1/cameras/" + cam + "/export.mp4?from="
                    + span[0] + "&to=" + span[0].plusSeconds(3) + "&reason=proxy-it", Duration.ofSeconds(60));
            assertThat(export.statusCode()).as(new String(export.body())).isEqualTo(200);
            assertThat(export.headers().firstValue("X-Served-By")).hasValue("rec-01");
            Ffprobe.Probe e = Ffprobe.probe(export.body(), dir, "relayed-export");
            assertThat(e.codec()).isEqualTo("h264");
            assertThat(e.frames()).isGreaterThan(0);
            // an archive channel and a snapshot asked of rec-02: relayed likewise
            try (StreamClient c = StreamClient.connect(cluster.stream(2), "Bearer " + token)) {
                c.open(2, cam, "archive", "\"from\":\"" + span[0] + "\",\"rate\":4");
                Await.until("5 archive fragments relayed through rec-02", Duration.ofSeconds(30),
                        () -> c.fragments(2) >= 5, () -> c.events.toString());
                c.close();
                assertThat(Ffprobe.probe(c.media(2), dir, "relayed-archive").codec()).isEqualTo("h264");
            }
            HttpResponse<byte[]> jpeg = admin2.bytes("/api/v1/cameras/" + cam + "/snapshot.jpg",
                    Duration.ofSeconds(30));
            assertThat(jpeg.statusCode()).as(new String(jpeg.body())).isEqualTo(200);
            assertThat(jpeg.body()).startsWith((byte) 0xFF, (byte) 0xD8); // a JPEG's SOI
            List<AuditRecord> exports = r2.audit().query(null, null, "admin", cam, AuditAction.EXPORT, 0, 100);
            assertThat(exports).as("one export audited, by the node asked").hasSize(1);
            assertThat(exports.get(0).detail()).contains("rec-01");
            // export.jpg asked of rec-02: the picture made by rec-01, audited once (by rec-02)
            HttpResponse<byte[]> picture = admin2.bytes("/api/v1/cameras/" + cam + "/export.jpg?at="
                    + span[0].plusSeconds(2) + "&reason=proxy-it", Duration.ofSeconds(30));
            assertThat(picture.statusCode()).as(new String(picture.body())).isEqualTo(200);
            assertThat(picture.body()).startsWith((byte) 0xFF, (byte) 0xD8);
            List<AuditRecord> all = r2.audit().query(null, null, "admin", cam, AuditAction.EXPORT, 0, 100);
            assertThat(all).as("export.mp4 and export.jpg, each audited once").hasSize(2);
            List<AuditRecord> views = r2.audit().query(null, null, "admin", cam, AuditAction.LIVE_VIEW, 0, 100);
            assertThat(views).as("the live channel and the snapshot, each audited once").hasSize(2);
            assertThat(r2.audit().query(null, null, "admin", cam, AuditAction.ARCHIVE_VIEW, 0, 100))
                    .as("the archive channel audited once").hasSize(1);

            // node-to-node calls: refused without the secret or with another one, served with it
            String path = "/api/v1/cameras/" + cam + "/recordings";
            ApiClient rec1 = new ApiClient(cluster.port(1));
            assertThat(rec1.get(path).statusCode()).isEqualTo(401);
            NodeCredentials other = new NodeCredentials("rec-02", "not-the-cluster-secret", InstantSource.system());
            assertThat(rec1.getAs(other.sign("GET", path, "admin"), path).statusCode()).isEqualTo(401);
            NodeCredentials old = new NodeCredentials("rec-02", cluster.secret,
                    InstantSource.offset(InstantSource.system(), Duration.ofMinutes(-5)));
            assertThat(rec1.getAs(old.sign("GET", path, "admin"), path).statusCode()).isEqualTo(401);
            NodeCredentials right = new NodeCredentials("rec-02", cluster.secret, InstantSource.system());
            assertThat(rec1.getAs(right.sign("GET", "/api/v1/other", "admin"), path).statusCode()).isEqualTo(401);
            assertThat(rec1.getAs(right.sign("GET", path, "admin"), path).statusCode()).isEqualTo(200);
            HttpResponse<String> ws = rec1.getAs(other.sign("GET", "/api/v1/stream", "admin"), "/api/v1/stream");
            assertThat(ws.statusCode()).as("a WebSocket upgrade signed with another secret").isEqualTo(401);

            // masks on the camera: our page's connection to rec-02 draws them itself, and rec-02 vouches for that to
            // rec-01 (the relay signed for it), which sends the pictures as recorded; a node call that asks for it
            // without being signed for it is refused
            HttpResponse<String> put = admin2.send("PUT", "/api/v1/cameras/" + cam + "/masks",
                    "{\"masks\":[{\"id\":\"door\",\"kind\":\"permanent\",\"polygon\":[[0,0],[1,0],[1,0.2]]}]}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            try (StreamClient c = StreamClient.connect(cluster.stream(2), "Bearer " + token,
                    cluster.origin(2))) {
                c.open(3, cam, "live", null);
                Await.until("the masked camera's live channel opened through rec-02", Duration.ofSeconds(30),
                        () -> opened(c, 3) != null, () -> c.events.toString());
                JsonNode o = opened(c, 3);
                assertThat(o.path("masks").toString()).as(o.toString()).contains("door");
                assertThat(o.path("burnedIn").asBoolean()).as("relayed to our page: drawn by the client, %s", o)
                        .isFalse();
            }
            String forged = new NodeCredentials("rec-02", cluster.secret, InstantSource.system()).sign("GET",
                    "/api/v1/stream", "admin");
            assertThatThrownBy(() -> StreamClient.connect(cluster.stream(1), forged,
                    cluster.origin(1)).close())
                    .as("a node call asking for client drawing, not signed for it").hasStackTraceContaining("401");

            // rec-01 stops: its archive is a gap with its reason on rec-02, not an error
            cluster.stop(1);
            Await.until("rec-01 out of rec-02's membership", Duration.ofSeconds(30),
                    () -> r2.cluster().view().nodes().size() == 1);
            HttpResponse<String> t = admin2.get(path + "?from=" + span[0] + "&to=" + span[1]);
            assertThat(t.statusCode()).isEqualTo(200);
            JsonNode timeline = ApiClient.json(t);
            assertThat(timeline.path("spans").size()).isZero();
            assertThat(timeline.path("gaps").path(0).path("node").asText()).isEqualTo("rec-01");
            assertThat(timeline.path("gaps").path(0).path("reason").asText())
                    .isEqualTo("held by node rec-01, which is down");
        }
    }

    static JsonNode opened(StreamClient c, int channel) {
        return c.events.stream().filter(e -> e.path("event").asText().equals("opened")
                && e.path("channel").asInt() == channel).findFirst().orElse(null);
    }
}
