package org.vigie.gst.ingest;

import org.vigie.ingest.ArrivalAnchoredWallClock;
import org.vigie.ingest.CameraState;
import org.vigie.ingest.CameraStatus;
import org.vigie.ingest.CameraSupervisor;
import org.vigie.ingest.IngestErrorKind;
import org.vigie.ingest.IngestOptions;
import org.vigie.ingest.SessionIds;
import org.vigie.ingest.SupervisorSettings;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.StreamKey;

/** The depayloader is chosen from the SDP caps: H.265 is ingested as hvc1, anything else fails clearly. */
class CodecSelectionTest {

    @Test
    void h265IsIngestedWithAnHvcC() throws Exception {
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(1);
        RecordingSink sink = new RecordingSink();
        try (RtspTestServer server = RtspTestServer.start(0, 1, "--codec", "h265");
             CameraSupervisor s = new CameraSupervisor(StreamKey.main("cam1"),
                     IngestOptions.of(URI.create(server.url(1))), SupervisorSettings.defaults(), sink, executor,
                     InstantSource.system(), ArrivalAnchoredWallClock::new, new SessionIds(InstantSource.system()), GstIngestEngine.INSTANCE)) {
            s.enable();
            CameraSupervisorTest.await("50 H.265 frames", Duration.ofSeconds(20), () -> sink.frames.size() >= 50);
            assertThat(s.state()).isEqualTo(CameraState.STREAMING);
            Frame first = sink.frames.get(0);
            assertThat(first.keyFrame()).isTrue();
            assertThat(first.format().codec()).isEqualTo(Codec.H265);
            assertThat(first.format().width()).isEqualTo(320);
            assertThat(first.format().decoderConfig()[0]).as("hvcC configurationVersion").isEqualTo((byte) 1);
            for (Frame f : List.copyOf(sink.frames)) {
                RtspIngestPipelineTest.assertAvcc(f.data());
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void vp8IsAnUnsupportedCodec() throws Exception {
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(1);
        RecordingSink sink = new RecordingSink();
        List<CameraStatus> changes = new CopyOnWriteArrayList<>();
        try (RtspTestServer server = RtspTestServer.start(0, 1, "--codec", "vp8");
             CameraSupervisor s = new CameraSupervisor(StreamKey.main("cam1"),
                     IngestOptions.of(URI.create(server.url(1))), SupervisorSettings.defaults(), sink, executor,
                     InstantSource.system(), ArrivalAnchoredWallClock::new, new SessionIds(InstantSource.system()), GstIngestEngine.INSTANCE)) {
            s.addListener(changes::add);
            s.enable();
            CameraSupervisorTest.await("RETRYING", Duration.ofSeconds(10), () -> s.state() == CameraState.RETRYING);
            assertThat(s.status().lastError().kind()).isEqualTo(IngestErrorKind.UNSUPPORTED_CODEC);
            assertThat(s.status().lastError().detail()).contains("VP8");
            assertThat(sink.frames).isEmpty();
        } finally {
            executor.shutdownNow();
        }
    }
}
