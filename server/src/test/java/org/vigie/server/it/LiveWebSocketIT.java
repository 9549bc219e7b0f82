package org.vigie.server.it;

import org.vigie.testing.Ffprobe;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditRecord;
import org.vigie.playback.ws.MediaMessage;
import org.vigie.testing.StreamClient;
import org.vigie.testing.Await;

/**
 * Issue #5 acceptance: one WebSocket connection carries 8 channels, live and archive, of 2 cameras pulled once
 * each; every channel's init segment + fragments is an fMP4 stream that ffprobe reads as H.264; each archive
 * replay starts within one GOP before its requested time; each opened channel is in the audit trail.
 */
class LiveWebSocketIT {

    static final long GOP_MICROS = 2_000_000;

    @TempDir
    Path dir;

    @Test
    void eightLiveAndArchiveChannelsOnOneConnection() throws Exception {
        try (StreamingFixture f = new StreamingFixture(dir)) {
            Thread.sleep(14_000); // an archive of over 10 s (one closed segment) behind the live edge
            Instant from = Instant.now().minusSeconds(12);
            try (StreamClient c = StreamClient.connect(f.streamUri(), f.authorization())) {
                for (int cam = 1; cam <= 2; cam++) {
                    String id = "cam-" + cam;
                    int base = (cam - 1) * 4;
                    c.open(base + 1, id, "live", null);
                    c.open(base + 2, id, "live", null);
                    c.open(base + 3, id, "archive", "\"from\":\"" + from + "\"");
                    c.open(base + 4, id, "archive", "\"from\":\"" + from.plusSeconds(3) + "\",\"rate\":2");
                }
                Await.until("50 fragments on each of 8 channels", Duration.ofSeconds(30), () -> {
                    for (int ch = 1; ch <= 8; ch++) if (c.fragments(ch) < 50) return false;
                    return true;
                }, () -> java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(ch -> ch + "=" + c.fragments(ch))
                        .toList() + " " + c.events);
                c.close();
                for (int ch = 1; ch <= 8; ch++) {
                    Ffprobe.Probe p = Ffprobe.probe(c.media(ch), dir, "channel-" + ch);
                    assertThat(p.codec()).as("channel %d", ch).isEqualTo("h264");
                    assertThat(p.width()).as("channel %d", ch).isEqualTo(1280);
                    assertThat(p.frames()).as("channel %d", ch).isEqualTo((int) c.fragments(ch));
                    assertThat(c.events("opened", ch)).as("channel %d", ch).hasSize(1);
                }
                for (int ch : List.of(3, 4, 7, 8)) {
                    Instant asked = ch % 4 == 3 ? from : from.plusSeconds(3);
                    long askedMicros = asked.getEpochSecond() * 1_000_000 + asked.getNano() / 1000;
                    long first = c.headers(ch).stream().filter(h -> h.type() == MediaMessage.FRAGMENT).findFirst()
                            .orElseThrow().wallMicros();
                    assertThat(first).as("first frame of archive channel %d", ch)
                            .isLessThanOrEqualTo(askedMicros).isGreaterThan(askedMicros - GOP_MICROS);
                }
            }
            Await.until("live subscriptions released", Duration.ofSeconds(5),
                    () -> f.server.cameras().get("cam-1").orElseThrow().hub("main").viewerCount() == 0);
            List<AuditRecord> views = f.server.audit().query(null, null, "admin", null, null, 0, 1000);
            assertThat(views.stream().filter(r -> r.action().equals(AuditAction.LIVE_VIEW)).count()).isEqualTo(4);
            assertThat(views.stream().filter(r -> r.action().equals(AuditAction.ARCHIVE_VIEW)).count()).isEqualTo(4);
        }
    }
}
