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
        ArchiveReader archive = MaskedFixture.record(dir.resolve("storage"), 8); // 8 s: a replay outlives a mask change
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

    /** ffmpeg reading {@code frames} frames of cam-1's live stream (luma range of a region), in the background. */
    private java.util.concurrent.CompletableFuture<List<LumaRange.Frame>> readLive(boolean underQuarter, int frames) {
        return read(url("/live/cam-1"), underQuarter, frames);
    }

    private java.util.concurrent.CompletableFuture<List<LumaRange.Frame>> read(String url, boolean underQuarter,
                                                                               int frames) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                List<String> tcp = List.of("-rtsp_transport", "tcp");
                return underQuarter ? MaskedFixture.underMask(url, tcp, frames)
                        : MaskedFixture.outsideMask(url, tcp, frames);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * A new version of the masks (a second mask, over the bottom-right quarter) while an RTSP client watches the
     * masked live stream: the session is switched to the masked stream of the new version at its next key frame, on
     * the same connection (issue 14: the connection used to be closed); from the first frame masked there on, every
     * frame is.
     */
    @Test
    void aMaskChangeSwitchesAMaskedLiveSessionToTheNewMaskedStreamOnTheSameConnection() throws Exception {
        var reading = readLive(false, 150);
        org.vigie.testing.Await.until("the masked stream runs", java.time.Duration.ofSeconds(20),
                () -> maskedHubs.running() == 1);
        try (MaskedHubs.Lease probe = maskedHubs.acquire(hub, QUARTER)) { // the same stream: no slot taken
            org.vigie.testing.Await.until("ffmpeg plays the masked stream", java.time.Duration.ofSeconds(20),
                    () -> probe.hub().viewerCount() > 0);
        }
        masks = withGarden();
        assertSwitchedToTheSecondMask(reading.get(40, TimeUnit.SECONDS));
    }

    /** The masks of version 7 plus a second mask over the bottom-right quarter. */
    private static MaskSet withGarden() {
        List<org.vigie.base.privacy.PrivacyMask> both = new java.util.ArrayList<>(QUARTER.masks());
        both.add(new org.vigie.base.privacy.PrivacyMask("garden", org.vigie.base.privacy.PrivacyMask.Kind.PERMANENT,
                List.of(new org.vigie.base.privacy.PrivacyMask.Point(0.5, 0.5),
                        new org.vigie.base.privacy.PrivacyMask.Point(1, 0.5),
                        new org.vigie.base.privacy.PrivacyMask.Point(1, 1),
                        new org.vigie.base.privacy.PrivacyMask.Point(0.5, 1))));
        return new MaskSet(8, both);
    }

    /**
     * A new version of the masks (a second mask) while an RTSP client plays a masked replay: the replay burns it in
     * from its next key frame, on the same connection and slot (issue 14: the connection used to be closed).
     */
    @Test
    void aMaskChangeSwitchesAMaskedReplayToTheNewMasksOnTheSameConnection() throws Exception {
        var reading = read(url("/archive/cam-1?start=" + MaskedFixture.START), false, 150);
        org.vigie.testing.Await.until("the masked replay plays", java.time.Duration.ofSeconds(20),
                () -> burnIn.active() == 1);
        masks = withGarden();
        assertSwitchedToTheSecondMask(reading.get(40, TimeUnit.SECONDS));
    }

    private static void assertSwitchedToTheSecondMask(List<LumaRange.Frame> corner) {
        assertThat(corner).as("the connection is kept: every frame asked comes").hasSizeGreaterThanOrEqualTo(150);
        assertThat(corner.get(0).range()).as("bottom-right before the new mask").isGreaterThan(PATTERN);
        int first = 0;
        while (first < corner.size() && corner.get(first).range() > UNIFORM) first++;
        assertThat(first).as("a frame with the new mask came").isLessThan(corner.size());
        assertThat(corner.subList(first, corner.size())).allSatisfy(f -> assertThat(f.range())
                .as("luma range under the new mask after the switch").isLessThanOrEqualTo(UNIFORM));
    }

    /**
     * A mask added while an RTSP client watches the camera's own live stream: the session is switched to the masked
     * stream at its next key frame, on the same connection; from the first masked frame on, every frame is masked.
     */
    @Test
    void aMaskAddedWhileWatchingSwitchesTheLiveSessionToTheMaskedStream() throws Exception {
        masks = MaskSet.NONE;
        var reading = readLive(true, 150);
        org.vigie.testing.Await.until("the unmasked stream plays", java.time.Duration.ofSeconds(20),
                () -> hub.viewerCount() > 0);
        masks = QUARTER;
        org.vigie.testing.Await.until("the session moved to the masked stream", java.time.Duration.ofSeconds(20),
                () -> maskedHubs.running() == 1 && hub.viewerCount() == 1);
        List<LumaRange.Frame> under = reading.get(40, TimeUnit.SECONDS);
        assertThat(under).as("the connection is kept: every frame asked comes").hasSizeGreaterThanOrEqualTo(150);
        assertThat(under.get(0).range()).as("before the mask").isGreaterThan(UNIFORM);
        int first = 0;
        while (first < under.size() && under.get(first).range() > UNIFORM) first++;
        assertThat(first).as("a masked frame came").isLessThan(under.size());
        assertThat(under.subList(first, under.size())).allSatisfy(f -> assertThat(f.range())
                .as("luma range under the mask after the switch").isLessThanOrEqualTo(UNIFORM));
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
