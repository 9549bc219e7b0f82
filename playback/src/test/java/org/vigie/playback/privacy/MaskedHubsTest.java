package org.vigie.playback.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.playback.privacy.MaskedFixture.QUARTER;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.stream.StreamHub;
import org.vigie.stream.ViewerQueue;
import org.vigie.testing.Await;
import org.vigie.testing.TestClip;

/**
 * The shared masked live stream (issue 14) with the real x264: a viewer of the masked stream gets each picture as
 * soon as the camera's picture is in, not one picture late (x264 with no declared frame rate holds each picture back
 * until the next arrives, to learn its duration).
 */
class MaskedHubsTest {

    @TempDir
    Path dir;

    @Test
    void aLiveMaskedViewerGetsPictureNAsSoonAsTheCamerasPictureNIsIn() throws Exception {
        org.vigie.gst.ingest.GstRuntime.ensureInitialized();
        TestClip clip = TestClip.of(8);
        assertThat(MaskedSender.frameRate(clip.format)).as("the clip's SPS declares 25 fps").isEqualTo(25);
        StreamHub camera = new StreamHub(StreamKey.main("cam-1"), new FrameSink() {
            public void onFrame(Frame frame) {
            }

            public void onSessionEnd(long sessionId) {
            }
        });
        try (MaskedHubs hubs = new MaskedHubs(new BurnIn(dir, 1));
             MaskedHubs.Lease lease = hubs.acquire(camera, QUARTER)) {
            ViewerQueue viewer = lease.hub().subscribe(100, () -> { });
            Await.until("the masked stream watches the camera", Duration.ofSeconds(20), () -> camera.viewerCount() > 0);
            List<Frame> out = new ArrayList<>();
            long wall0 = System.currentTimeMillis() * 1000;
            for (int n = 0; n < 6; n++) {
                camera.onFrame(clip.frame(1, n, wall0));
                int expected = n + 1;
                // no further picture comes until this one is out: a picture held back never comes
                Await.until("masked picture " + expected + " out after camera picture " + expected,
                        Duration.ofSeconds(15), () -> {
                            for (Frame f = viewer.poll(); f != null; f = viewer.poll()) out.add(f);
                            return out.size() >= expected;
                        }, () -> out.size() + " masked pictures out");
            }
            assertThat(out).hasSize(6);
            assertThat(out.get(0).keyFrame()).isTrue();
            assertThat(out).extracting(Frame::wallMicros).as("the camera's times")
                    .containsExactly(wall0, wall0 + 40_000, wall0 + 80_000, wall0 + 120_000, wall0 + 160_000,
                            wall0 + 200_000);
        }
    }
}
