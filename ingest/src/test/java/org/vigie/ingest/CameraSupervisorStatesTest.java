package org.vigie.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.testing.Await;

/**
 * The supervisor's states without GStreamer nor a camera: its engine is a scripted one whose first session is
 * refused and whose second delivers a frame, reported from the engine's own thread as real engines do.
 */
class CameraSupervisorStatesTest {

    private static final FrameSink NO_FRAMES = new FrameSink() {
        @Override
        public void onFrame(org.vigie.media.Frame frame) {
        }

        @Override
        public void onSessionEnd(long sessionId) {
        }
    };

    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final List<CameraState> states = new CopyOnWriteArrayList<>();
    private final List<Long> stopped = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** Session 1 is refused, session 2 streams: each reports from a thread of its own, after start() returned. */
    private final class ScriptedEngine implements IngestEngine {
        @Override
        public IngestSession open(StreamKey key, long sessionId, IngestOptions options, FrameSink sink,
                                  IngestSession.Events events, InstantSource clock, WallClock wallClock,
                                  IngestCounters counters) {
            return new IngestSession() {
                @Override
                public long sessionId() {
                    return sessionId;
                }

                @Override
                public void start() {
                    new Thread(() -> {
                        if (sessionId == 1) {
                            events.onFailure(sessionId, new IngestError(IngestErrorKind.CONNECTION_REFUSED,
                                    "refused", clock.instant()));
                        } else {
                            events.onFirstFrame(sessionId);
                        }
                    }, "scripted-session-" + sessionId).start();
                }

                @Override
                public void stop() {
                    stopped.add(sessionId);
                }
            };
        }

        @Override
        public String describe() {
            return "scripted";
        }
    }

    @Test
    void aRefusedSessionIsStoppedRetriedAfterBackoffAndTheNextOneStreams() throws Exception {
        AtomicLong ids = new AtomicLong();
        SupervisorSettings fast = SupervisorSettings.defaults().withBackoff(Duration.ofMillis(20), Duration.ofMillis(40));
        try (CameraSupervisor s = new CameraSupervisor(StreamKey.main("cam1"),
                IngestOptions.of(URI.create("rtsp://127.0.0.1:9/a")), fast, NO_FRAMES, executor,
                InstantSource.system(), ArrivalAnchoredWallClock::new, ids::incrementAndGet, new ScriptedEngine())) {
            s.addListener(status -> states.add(status.state()));
            s.enable();
            Await.until("STREAMING", Duration.ofSeconds(5), () -> s.state() == CameraState.STREAMING);

            assertThat(states).containsExactly(CameraState.CONNECTING, CameraState.RETRYING, CameraState.CONNECTING,
                    CameraState.STREAMING);
            CameraStatus status = s.status();
            assertThat(status.sessionId()).isEqualTo(2);
            assertThat(status.lastError().kind()).isEqualTo(IngestErrorKind.CONNECTION_REFUSED);
            assertThat(status.reconnects()).isEqualTo(1);
            assertThat(status.engine()).isEqualTo("scripted");
            assertThat(stopped).containsExactly(1L);
        }
    }
}
