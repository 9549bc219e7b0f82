package org.vigie.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.StreamKey;
import org.vigie.server.audit.AuditAction;
import org.vigie.server.audit.AuditRecord;
import org.vigie.server.playback.CameraSources;
import org.vigie.rtsp.header.Range;
import org.vigie.playback.rtsp.RtspServer;
import org.vigie.server.playback.ServerPlaybackAccess;
import org.vigie.testing.Await;
import org.vigie.testing.Ffprobe;
import org.vigie.testing.RtspTestClient;

/**
 * Issue #5 acceptance for the RTSP re-stream: ffprobe and GStreamer's rtspsrc read the live re-stream (TCP and
 * UDP) and an archive replay started at a past time; the first frame of the replay is a key frame within one GOP
 * (2 s) before the requested time, as both the PLAY answer's {@code Range} and the ONVIF replay extension of the
 * first RTP packet say; wrong credentials get 401, a user without a grant 403, and views are audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RtspRestreamIT {

    static final long GOP_MICROS = 2_000_000;

    @TempDir
    static Path dir;
    PlaybackFixture world;
    RtspServer rtsp;
    Instant recordingStart;

    @BeforeAll
    void start() throws Exception {
        world = new PlaybackFixture(dir);
        rtsp = RtspServer.start("127.0.0.1", 0,
                new CameraSources(world.server.cameras(), world.server.recorder().archive()),
                new ServerPlaybackAccess(world.authenticator, world.audit, world.server.cameras(),
                        world.server.maskDecision()),
                java.time.Duration.ofMillis(300)); // every session of these tests is re-checked many times

        // a past to replay: 12 s of recording, six GOPs (a loaded machine takes longer to get there, and the
        // camera may start late: the times the tests ask for count from the first recorded frame)
        long[] recorded = new long[2];
        Await.until("12 s of recording", java.time.Duration.ofSeconds(90), () -> {
            long[] span = recordedSpan();
            recorded[0] = span[0];
            recorded[1] = span[1];
            return span[1] - span[0] >= 12_000_000;
        }, () -> "recorded " + (recorded[1] - recorded[0]) + " µs");
        recordingStart = Instant.EPOCH.plus(recorded[0], java.time.temporal.ChronoUnit.MICROS);
    }

    /** The times of the first and the last recorded frame, µs (both 0 when nothing is recorded yet). */
    long[] recordedSpan() throws IOException {
        long first = 0;
        long last = 0;
        try (var cursor = world.server.recorder().archive().framesFrom(StreamKey.main(PlaybackFixture.CAMERA), Instant.EPOCH)) {
            while (cursor.hasNext()) {
                long w = cursor.next().wallMicros();
                if (first == 0) first = w;
                last = w;
            }
        }
        return new long[] {first, last};
    }

    @AfterAll
    void stop() throws IOException {
        if (rtsp != null) rtsp.close();
        if (world != null) world.close();
    }

    String url(String path) {
        return "rtsp://" + PlaybackFixture.USER + ":" + PlaybackFixture.PASSWORD.replace(" ", "%20") + "@127.0.0.1:"
                + rtsp.port() + path;
    }

    @Test
    void ffprobeReadsTheLiveRestreamOverTcp() throws Exception {
        JsonNode probe = Ffprobe.json("ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_entries",
                "stream=codec_name,width,height", "-of", "json", url("/live/cam-1"));
        assertThat(probe.path("streams").path(0).path("codec_name").asText()).isEqualTo("h264");
        assertThat(probe.path("streams").path(0).path("width").asInt()).isEqualTo(1280);
    }

    @Test
    void rtspsrcReadsTheLiveRestreamOverTcpAndUdp() throws Exception {
        for (String protocol : List.of("tcp", "udp")) {
            gst("rtspsrc location=" + url("/live/cam-1") + " protocols=" + protocol
                    + " ! rtph264depay ! h264parse ! fakesink num-buffers=50");
        }
    }

    @Test
    void ffprobeAndRtspsrcReadAnArchiveReplayStartedAtAPastTime() throws Exception {
        Instant t = recordingStart.plusSeconds(5).plusMillis(300).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String start = "?start=" + Range.formatClock(t);
        JsonNode probe = Ffprobe.json("ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-read_intervals", "%+3",
                "-show_entries", "stream=codec_name:packet=pts_time,flags", "-of", "json", url("/archive/cam-1" + start));
        assertThat(probe.path("streams").path(0).path("codec_name").asText()).isEqualTo("h264");
        assertThat(probe.path("packets").size()).as("packets in 3 s of replay").isGreaterThan(25);
        assertThat(probe.path("packets").path(0).path("flags").asText()).startsWith("K");
        gst("rtspsrc location=" + url("/archive/cam-1" + start) + " protocols=tcp"
                + " ! rtph264depay ! h264parse ! fakesink num-buffers=50");
        List<AuditRecord> views = world.audit.query(null, null, PlaybackFixture.USER, PlaybackFixture.CAMERA,
                AuditAction.ARCHIVE_VIEW, 0, 1000);
        assertThat(views.stream().filter(v -> v.detail().contains("\"from\":\"" + t + "\"")).count())
                .as("replays of ffprobe and rtspsrc started at %s: %s", t, views).isGreaterThanOrEqualTo(2);
    }

    @Test
    void replayStartsOnTheKeyFrameAtOrBeforeTheRequestedClockTime() throws Exception {
        Instant requested = recordingStart.plusSeconds(7).plusMillis(500).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        long expectedMicros = lastKeyFrameAtOrBefore(requested);
        try (RtspTestClient c = new RtspTestClient(rtsp.port(), 32 * 1024).basicAuth(PlaybackFixture.USER, PlaybackFixture.PASSWORD)) {
            String base = "rtsp://127.0.0.1:" + rtsp.port() + "/archive/cam-1";
            String session = c.setUp(base);
            RtspTestClient.Reply play = c.request("PLAY", base, Map.of("Session", session,
                    "Range", "clock=" + Range.formatClock(requested) + "-", "Rate-Control", "no"));
            assertThat(play.status()).isEqualTo(200);
            Instant replyStart = Range.parse(play.header("range")).start();
            RtspTestClient.RtpPacket first = c.readPacket();
            long firstMicros = first.onvifWallMicros();
            long requestedMicros = requested.toEpochMilli() * 1000;
            assertThat(firstMicros).as("first frame at or before the requested time").isLessThanOrEqualTo(requestedMicros);
            assertThat(requestedMicros - firstMicros).as("within one GOP").isLessThan(GOP_MICROS);
            assertThat(firstMicros).isEqualTo(expectedMicros);
            assertThat(replyStart.toEpochMilli()).isEqualTo(firstMicros / 1000);
            assertThat(first.onvifCleanPoint()).isTrue();
            assertThat(first.nalType()).as("an access unit starting with SPS").isEqualTo(7);
            long frames = 0;
            long lastWall = firstMicros;
            while (frames < 100) {
                RtspTestClient.RtpPacket p = c.readPacket();
                if (p.marker()) frames++;
                assertThat(p.onvifWallMicros()).isGreaterThanOrEqualTo(lastWall);
                lastWall = p.onvifWallMicros();
            }
            assertThat(lastWall - firstMicros).as("100 frames of a 25 fps replay span 4 s")
                    .isBetween(3_800_000L, 4_200_000L);
            assertThat(c.rtcpPackets()).as("RTCP sender reports of 4 s of replay (one at once, one every 5 s)")
                    .isEqualTo(1);
        }
        List<AuditRecord> views = world.audit.query(null, null, PlaybackFixture.USER, PlaybackFixture.CAMERA,
                AuditAction.ARCHIVE_VIEW, 0, 100);
        assertThat(views).anySatisfy(r -> assertThat(r.detail()).contains("rtsp").contains(requested.toString()));
    }

    /** The key frame at or before {@code t}, found by reading every recorded frame (fragments may hold 2 GOPs). */
    long lastKeyFrameAtOrBefore(Instant t) throws IOException {
        long micros = t.toEpochMilli() * 1000;
        long found = -1;
        StringBuilder seen = new StringBuilder();
        try (var cursor = world.server.recorder().archive().framesFrom(StreamKey.main(PlaybackFixture.CAMERA), Instant.EPOCH)) {
            while (cursor.hasNext()) {
                var f = cursor.next();
                if (seen.length() < 400) seen.append(f.wallMicros()).append(f.keyFrame() ? "K " : " ");
                if (f.wallMicros() > micros) break;
                if (f.keyFrame()) found = f.wallMicros();
            }
        }
        assertThat(found).as("key frame at or before %d; frames: %s", micros, seen).isPositive();
        return found;
    }

    /**
     * Scale 4 against scale 1, side by side on the same server and machine (whatever slows one slows the other): when
     * the scale-4 replay has delivered 6 s of recording past the requested time, the scale-1 replay started just
     * before it has delivered less than half as much (1.5 s when both keep their pace). The timestamps say what was
     * delivered: the PLAY's {@code Range} and the first packet's ONVIF time name the key frame at or before the
     * requested time, every recorded frame comes (key frames only is above 4), and the RTP timestamps follow the
     * recording's time, not the sending's. The only wall-clock check is a lower bound (paced, not burst), which a
     * loaded machine cannot break; the pacing itself is ReplayPacerTest's, on its clock.
     */
    @Test
    void replayAtScale4IsPacedFourTimesFasterThanRealTime() throws Exception {
        Instant from = recordingStart.plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        long fromMicros = from.toEpochMilli() * 1000;
        long keyMicros = lastKeyFrameAtOrBefore(from);
        String base = "rtsp://127.0.0.1:" + rtsp.port() + "/archive/cam-1";
        String range = "clock=" + Range.formatClock(from) + "-";
        try (RtspTestClient normal = new RtspTestClient(rtsp.port(), 32 * 1024).basicAuth(PlaybackFixture.USER, PlaybackFixture.PASSWORD);
             RtspTestClient fast = new RtspTestClient(rtsp.port(), 32 * 1024).basicAuth(PlaybackFixture.USER, PlaybackFixture.PASSWORD)) {
            String normalSession = normal.setUp(base);
            assertThat(normal.request("PLAY", base, Map.of("Session", normalSession, "Range", range)).status()).isEqualTo(200);
            java.util.concurrent.atomic.AtomicLong normalAt = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        RtspTestClient.RtpPacket p = normal.readPacket();
                        if (p.channel() == 0) normalAt.set(p.onvifWallMicros());
                    }
                } catch (IOException | AssertionError e) {
                    // closed at the end of the test
                }
            }, "scale-1-reader");
            reader.start();

            String session = fast.setUp(base);
            RtspTestClient.Reply play = fast.request("PLAY", base, Map.of("Session", session, "Range", range, "Scale", "4.0"));
            assertThat(play.status()).isEqualTo(200);
            assertThat(play.header("scale")).isEqualTo("4.0");
            long t0 = System.nanoTime();
            RtspTestClient.RtpPacket first = fast.readPacket();
            long firstWall = first.onvifWallMicros();
            assertThat(firstWall).as("first frame: the key frame at or before the requested time").isEqualTo(keyMicros);
            assertThat(Range.parse(play.header("range")).start().toEpochMilli()).as("the PLAY's Range start")
                    .isEqualTo(keyMicros / 1000);
            long wall = firstWall;
            long frames = 1;
            while (wall < fromMicros + 6_000_000) {
                RtspTestClient.RtpPacket p = fast.readPacket();
                if (p.channel() != 0) continue;
                long w = p.onvifWallMicros();
                assertThat(w).as("recording time never goes back").isGreaterThanOrEqualTo(wall);
                if (w != wall) frames++;
                wall = w;
                long ticks = (p.timestamp() - first.timestamp()) & 0xFFFFFFFFL;
                long expected = (Math.floorDiv(w * 9, 100) - Math.floorDiv(firstWall * 9, 100)) & 0xFFFFFFFFL;
                assertThat(ticks).as("RTP timestamp of the frame at %d µs: 90 kHz of recording time", w)
                        .isBetween(expected - 1, expected + 1);
            }
            long normalProgress = normalAt.get() - fromMicros;
            double elapsed = (System.nanoTime() - t0) / 1e9;
            normal.close();
            reader.join(10_000);

            assertThat(frames).as("frames delivered from %d to %d µs", firstWall, wall).isEqualTo(framesBetween(firstWall, wall));
            assertThat(normalProgress).as("µs of recording past the requested time the scale-1 replay delivered while"
                    + " the scale-4 one delivered %d", wall - fromMicros).isLessThan((wall - fromMicros) / 2);
            // paced, not burst: never sooner than scale 4 allows (1.5 s), a loaded machine can only take longer
            assertThat(elapsed).as("s to deliver 6 s of recording at scale 4").isGreaterThanOrEqualTo(1.2);
        }
    }

    /** How many recorded frames have a time in [fromMicros, toMicros]. */
    long framesBetween(long fromMicros, long toMicros) throws IOException {
        long n = 0;
        try (var cursor = world.server.recorder().archive().framesFrom(StreamKey.main(PlaybackFixture.CAMERA), Instant.EPOCH)) {
            while (cursor.hasNext()) {
                long w = cursor.next().wallMicros();
                if (w > toMicros) break;
                if (w >= fromMicros) n++;
            }
        }
        return n;
    }

    @Test
    void wrongPasswordIs401AndAUserWithoutTheCameraIs403() throws Exception {
        String base = "rtsp://127.0.0.1:" + rtsp.port() + "/live/cam-1";
        try (RtspTestClient c = new RtspTestClient(rtsp.port(), 32 * 1024).basicAuth(PlaybackFixture.USER, "wrong password")) {
            RtspTestClient.Reply r = c.request("DESCRIBE", base, Map.of());
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("www-authenticate")).startsWith("Basic");
        }
        // security review: RTSP login failures reach the audit trail; a CR/LF in the user name never the log
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                "org.vigie.playback.rtsp.RtspServerHandler");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        log.addAppender(lines);
        try (RtspTestClient c = new RtspTestClient(rtsp.port(), 32 * 1024).basicAuth("mallory\r\nINFO forged line", "x")) {
            assertThat(c.request("DESCRIBE", base, Map.of()).status()).isEqualTo(401);
        } finally {
            log.detachAppender(lines);
        }
        assertThat(lines.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("mallory")).noneMatch(m -> m.contains("\r") || m.contains("\n"));
        assertThat(world.audit.query(null, null, PlaybackFixture.USER, null, AuditAction.LOGIN_FAILED, 0, 100))
                .as("RTSP login failure audited").anySatisfy(e -> assertThat(e.toString()).contains("rtsp"));
        try (RtspTestClient c = new RtspTestClient(rtsp.port(), 32 * 1024)) {
            assertThat(c.request("OPTIONS", base, Map.of()).status()).isEqualTo(200);
            assertThat(c.request("DESCRIBE", base, Map.of()).status()).isEqualTo(401);
        }
        try (RtspTestClient c = new RtspTestClient(rtsp.port(), 32 * 1024).basicAuth(PlaybackFixture.STRANGER, PlaybackFixture.PASSWORD)) {
            assertThat(c.request("DESCRIBE", base, Map.of()).status()).isEqualTo(403);
        }
        try (RtspTestClient c = new RtspTestClient(rtsp.port(), 32 * 1024).basicAuth(PlaybackFixture.USER, PlaybackFixture.PASSWORD)) {
            assertThat(c.request("DESCRIBE", "rtsp://127.0.0.1:" + rtsp.port() + "/live/nope", Map.of()).status())
                    .isEqualTo(404);
            String session = c.setUp(base);
            assertThat(c.request("PLAY", base, Map.of("Session", "not-" + session)).status()).isEqualTo(454);
            assertThat(c.request("PLAY", base, Map.of("Session", session)).status()).isEqualTo(200);
            c.readPacket();
        }
        assertThat(world.audit.query(null, null, PlaybackFixture.USER, PlaybackFixture.CAMERA, AuditAction.LIVE_VIEW,
                0, 100)).isNotEmpty();
    }

    @Test
    void aWithdrawnRightEndsThePlayingSessionWithinTheRecheckInterval() throws Exception {
        org.vigie.server.auth.UserStore store = new org.vigie.server.auth.UserStore(world.users);
        String rita = "rita";
        store.create(new org.vigie.server.auth.UserRecord(rita, org.vigie.server.auth.Role.OPERATOR,
                java.util.Set.of(PlaybackFixture.CAMERA), java.util.Set.of(),
                new org.vigie.server.auth.PasswordHasher(8, 1, 1).hash(PlaybackFixture.PASSWORD), 0, 0, 0), 0);
        try (RtspTestClient c = new RtspTestClient(rtsp.port(), 32 * 1024).basicAuth(rita, PlaybackFixture.PASSWORD)) {
            String base = "rtsp://127.0.0.1:" + rtsp.port() + "/live/cam-1";
            String session = c.setUp(base);
            assertThat(c.request("PLAY", base, Map.of("Session", session)).status()).isEqualTo(200);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            long packets = 0;
            while (System.nanoTime() < until) { // several re-checks pass while the right holds
                c.readPacket();
                packets++;
            }
            assertThat(packets).isGreaterThan(25);

            store.update(rita, org.vigie.server.auth.Role.OPERATOR, java.util.Set.of("cam-9"), java.util.Set.of(), null);
            long withdrawn = System.nanoTime();
            IOException ended = null;
            long deadline = withdrawn + TimeUnit.SECONDS.toNanos(10);
            while (ended == null && System.nanoTime() < deadline) {
                try {
                    c.readPacket();
                } catch (IOException e) {
                    ended = e;
                }
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - withdrawn);
            assertThat(ended).as("the session still streams %d ms after the withdrawal", millis)
                    .isInstanceOf(java.io.EOFException.class); // the server closed, not a read timeout
            assertThat(millis).as("ms from the withdrawal to the end of the session").isLessThan(5_000);
        }
    }

    @Test
    void aClientThatStopsReadingCostsTheRecordingNoFrame() throws Exception {
        StreamKey key = StreamKey.main(PlaybackFixture.CAMERA);
        var hub = world.server.cameras().get(PlaybackFixture.CAMERA).orElseThrow().hub(StreamKey.MAIN);
        try (RtspTestClient c = new RtspTestClient(rtsp.port(), 32 * 1024).basicAuth(PlaybackFixture.USER, PlaybackFixture.PASSWORD)) {
            String base = "rtsp://127.0.0.1:" + rtsp.port() + "/live/cam-1";
            String session = c.setUp(base);
            assertThat(c.request("PLAY", base, Map.of("Session", session)).status()).as("PLAY").isEqualTo(200);
            Await.until("the RTSP viewer subscribed", java.time.Duration.ofSeconds(5), () -> hub.viewerCount() >= 1);
            // a viewer of our own that is never read and never fills: it counts every frame the hub passes on
            var reference = hub.subscribe(1_000_000, () -> { });
            int prefilled = reference.size(); // the current GOP, from before the stall
            var before = world.server.recorder().stats(key).orElseThrow();
            long droppedBefore = hub.viewerFramesDropped();
            // the client reads nothing: its 32 kB socket fills, the server's writes back up, its viewer queue drops
            Await.until("the stalled client's viewer queue dropping frames (the stall landed)",
                    java.time.Duration.ofSeconds(90), () -> hub.viewerFramesDropped() - droppedBefore >= 200,
                    () -> "dropped " + (hub.viewerFramesDropped() - droppedBefore) + " while " + reference.size()
                            + " frames passed");
            long passed = reference.size() + reference.dropped() - prefilled;
            hub.unsubscribe(reference);
            assertThat(reference.dropped()).as("frames our never-full reference viewer dropped").isZero();
            // written counts published fragments only (up to two GOPs each, 100 frames): the recorder catches up
            // with every frame that passed during the stall, less that grain, which is less than the 200 frames the
            // stalled client lost (a recorder that lost them too would fail here)
            Await.until("the recorder wrote what passed during the stall", java.time.Duration.ofSeconds(30), () -> {
                var now = world.server.recorder().stats(key).orElseThrow();
                return now.framesWritten() - before.framesWritten() + now.queued() - before.queued() >= passed - 100;
            }, () -> {
                var now = world.server.recorder().stats(key).orElseThrow();
                return "recorded " + (now.framesWritten() - before.framesWritten() + now.queued() - before.queued())
                        + " of the " + passed + " frames that passed (less a 100-frame fragment)";
            });
            var after = world.server.recorder().stats(key).orElseThrow();
            assertThat(after.framesDropped()).as("frames the recorder dropped").isEqualTo(before.framesDropped());
            assertThat(after.framesSkipped()).as("frames the recorder skipped").isEqualTo(before.framesSkipped());
            assertThat(after.writeErrors()).as("write errors").isEqualTo(before.writeErrors());
        }
    }

    static void gst(String pipeline) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("gst-launch-1.0", "-q"));
        cmd.addAll(List.of(pipeline.split(" ")));
        Path log = Files.createTempFile("gst-launch", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (System.getenv("GST_DEBUG") == null) pb.environment().put("GST_DEBUG", "rtspsrc:4");
        Process p = pb.start();
        boolean done = p.waitFor(30, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        String output = tail(Files.readString(log, StandardCharsets.ISO_8859_1), 6000);
        Files.deleteIfExists(log);
        if (!done) throw new AssertionError("gst-launch did not finish in 30 s: " + pipeline + "\n" + output);
        assertThat(p.exitValue()).as("gst-launch %s\n%s", pipeline, output).isZero();
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : s.substring(s.length() - n);
    }
}
