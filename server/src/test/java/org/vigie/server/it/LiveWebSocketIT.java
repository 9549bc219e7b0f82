package org.vigie.server.it;

import org.vigie.testing.Ffprobe;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditRecord;
import org.vigie.playback.ws.MediaMessage;
import org.vigie.testing.StreamClient;
import org.vigie.testing.Await;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.SegmentInfo;

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
            // An archive of over 14 s (a closed segment) for both cameras, waited for on the catalogue rather than
            // the clock: on a loaded machine the cameras may start late. `from` is then 3 s into the recording
            // (mid-GOP, so the key frame that starts each archive channel is clearly within one GOP before it).
            Await.until("14 s recorded of both cameras", Duration.ofSeconds(60), () -> recordedSeconds(f, "cam-1") >= 14
                    && recordedSeconds(f, "cam-2") >= 14);
            java.util.Map<String, Instant> fromOf = new java.util.HashMap<>();
            for (String id : List.of("cam-1", "cam-2")) {
                fromOf.put(id, Instant.EPOCH.plus(firstRecorded(f, id) + 3_000_000, ChronoUnit.MICROS));
            }
            try (StreamClient c = StreamClient.connect(f.streamUri(), f.authorization())) {
                for (int cam = 1; cam <= 2; cam++) {
                    String id = "cam-" + cam;
                    int base = (cam - 1) * 4;
                    Instant from = fromOf.get(id);
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
                    Instant from = fromOf.get(ch <= 4 ? "cam-1" : "cam-2");
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

    private static long firstRecorded(StreamingFixture f, String camera) {
        return f.server.recorder().catalog().segments(StreamKey.main(camera)).stream()
                .mapToLong(SegmentInfo::startMicros).min().orElse(Long.MAX_VALUE);
    }

    private static double recordedSeconds(StreamingFixture f, String camera) {
        List<SegmentInfo> segments = f.server.recorder().catalog().segments(StreamKey.main(camera));
        return segments.size() < 2 ? 0 : (segments.get(segments.size() - 1).endMicros() - firstRecorded(f, camera)) / 1e6;
    }
}
