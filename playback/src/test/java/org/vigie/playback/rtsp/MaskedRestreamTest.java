package org.vigie.playback.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.playback.privacy.MaskedFixture.PATTERN;
import static org.vigie.playback.privacy.MaskedFixture.QUARTER;
import static org.vigie.playback.privacy.MaskedFixture.UNIFORM;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.base.privacy.MaskSet;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.playback.MediaSources;
import org.vigie.playback.OpenAccess;
import org.vigie.playback.PacedCamera;
import org.vigie.playback.PlaybackAccess;
import org.vigie.playback.privacy.BurnIn;
import org.vigie.playback.privacy.MaskedFixture;
import org.vigie.playback.privacy.MaskedHubs;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.stream.StreamHub;
import org.vigie.testing.Ffprobe;
import org.vigie.testing.LumaRange;
import org.vigie.testing.TestClip;

/**
 * The live RTSP re-stream of a masked camera, read by ffmpeg (a client we did not write): uniform black under the
 * mask in every decoded frame, the moving picture elsewhere, live and in replay; one more masked stream than
 * privacy.max-transcodes is refused with a 503.
 */
class MaskedRestreamTest {

    @TempDir
    Path dir;
    final TestClip clip = TestClip.of(100);
    final StreamHub hub = new StreamHub(StreamKey.main("cam-1"), new FrameSink() {
        public void onFrame(Frame frame) {
        }

        public void onSessionEnd(long sessionId) {
        }
    });
    final StreamHub other = new StreamHub(StreamKey.main("cam-2"), new FrameSink() {
        public void onFrame(Frame frame) {
        }

        public void onSessionEnd(long sessionId) {
        }
    });
    PacedCamera camera;
    RtspServer server;
    MaskedHubs maskedHubs;
    BurnIn burnIn;
    volatile MaskSet masks = QUARTER;

    @BeforeEach
    void start() throws Exception {
        ArchiveReader archive = MaskedFixture.record(dir.resolve("storage"), 2);
        org.vigie.gst.ingest.GstRuntime.ensureInitialized(); // as the server does at start
        MediaSources sources = new MediaSources() {
            public Optional<StreamHub> hub(StreamKey key) {
                return key.equals(hub.key()) ? Optional.of(hub) : key.equals(other.key()) ? Optional.of(other)
                        : Optional.empty();
            }

            public ArchiveReader archive() {
                return archive;
            }
        };
        PlaybackAccess access = new OpenAccess(() -> masks);
        burnIn = new BurnIn(dir.resolve("burn-in"), 1);
        maskedHubs = new MaskedHubs(burnIn);
        server = RtspServer.start("127.0.0.1", 0, sources, access, java.time.Duration.ofMillis(300), 16,
                java.time.Duration.ofSeconds(60), RtspServer.Security.PLAIN, maskedHubs);
        // two live cameras: the clip at 25 fps, wall time = now
        camera = PacedCamera.start(clip, 9, System.currentTimeMillis() * 1000, hub, other);
    }

    @AfterEach
    void stop() throws Exception {
        camera.close();
        server.close();
        maskedHubs.close();
    }

    private String url(String path) {
        return "rtsp://alice:pw@127.0.0.1:" + server.port() + path;
    }

    @Test
    void theLiveReStreamIsMaskedInEveryFrameForFfmpeg() throws Exception {
        List<LumaRange.Frame> under = MaskedFixture.underMask(url("/live/cam-1"), List.of("-rtsp_transport", "tcp"), 25);
        assertThat(under).hasSizeGreaterThanOrEqualTo(25).allSatisfy(f -> assertThat(f.range()).as("luma range under the mask")
                .isLessThanOrEqualTo(UNIFORM));
        List<LumaRange.Frame> outside = MaskedFixture.outsideMask(url("/live/cam-1"), List.of("-rtsp_transport", "tcp"), 25);
        assertThat(outside).hasSizeGreaterThanOrEqualTo(25).allSatisfy(f -> assertThat(f.range()).as("luma range outside the mask")
                .isGreaterThan(PATTERN));
        assertThat(burnIn.framesTranscoded()).isGreaterThan(0);
    }

    @Test
    void beyondMaxTranscodesAMaskedStreamIsRefusedWith503() throws Exception {
        try (MaskedHubs.Lease held = maskedHubs.acquire(other, QUARTER)) { // the one slot: cam-2's masked stream
            Ffprobe.Result r = Ffprobe.rtsp("tcp", url("/live/cam-1"));
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stderr()).contains("503 Service Unavailable");
            assertThat(burnIn.refused()).isEqualTo(1);
        }
    }

    /** A mask added while an RTSP client watches the unmasked stream ends its connection at the next re-check. */
    @Test
    void aMaskAddedWhileWatchingEndsTheUnmaskedStream() throws Exception {
        masks = MaskSet.NONE;
        java.util.concurrent.CompletableFuture<Ffprobe.Result> reading = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try { // at most 750 frames: 30 s
                        return Ffprobe.run(60, List.of("ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", "tcp",
                                "-i", url("/live/cam-1"), "-frames:v", "750", "-f", "null", "-"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        org.vigie.testing.Await.until("the unmasked stream plays", java.time.Duration.ofSeconds(20),
                () -> hub.viewerCount() > 0);
        masks = QUARTER;
        Ffprobe.Result r = reading.get(20, TimeUnit.SECONDS); // long before the 30 s of the 750 frames
        assertThat(hub.viewerCount()).as("the unmasked viewer is gone").isZero();
        assertThat(r.stderr()).doesNotContain("timed out");
    }

    @Test
    void theReplayIsMaskedInEveryFrameForFfmpeg() throws Exception {
        String replay = url("/archive/cam-1?start=" + MaskedFixture.START.plusMillis(500));
        List<LumaRange.Frame> under = MaskedFixture.underMask(replay, List.of("-rtsp_transport", "tcp"), 25);
        assertThat(under).hasSizeGreaterThanOrEqualTo(25).allSatisfy(f -> assertThat(f.range())
                .as("luma range under the mask").isLessThanOrEqualTo(UNIFORM));
        List<LumaRange.Frame> outside = MaskedFixture.outsideMask(replay, List.of("-rtsp_transport", "tcp"), 25);
        assertThat(outside).hasSizeGreaterThanOrEqualTo(25).allSatisfy(f -> assertThat(f.range())
                .as("luma range outside the mask").isGreaterThan(PATTERN));
        org.vigie.testing.Await.until("the replay's slot given back", java.time.Duration.ofSeconds(10),
                () -> burnIn.active() == 0);
    }
}
