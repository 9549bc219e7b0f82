package org.vigie.gst.ingest;

import org.vigie.ingest.ArrivalAnchoredWallClock;
import org.vigie.ingest.CameraState;
import org.vigie.ingest.CameraSupervisor;
import org.vigie.ingest.IngestOptions;
import org.vigie.ingest.SessionIds;
import org.vigie.ingest.SupervisorSettings;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vigie.media.StreamKey;

/**
 * 100 stop/start cycles of one camera, each reaching STREAMING with real frames, must leave Java threads, native
 * threads and resident memory flat (generous bounds: this is a leak detector, not a benchmark).
 */
class StopStartLeakTest {

    static final int CYCLES = 100;

    @Test
    void hundredStopStartCyclesLeaveThreadsAndMemoryFlat() throws Exception {
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
        try (RtspTestServer server = RtspTestServer.start(0, 1)) {
            RecordingSinkCountingOnly sink = new RecordingSinkCountingOnly();
            SupervisorSettings settings = SupervisorSettings.defaults()
                    .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
            CameraSupervisor supervisor = new CameraSupervisor(StreamKey.main("cam1"),
                    IngestOptions.of(URI.create(server.url(1))), settings, sink, executor, InstantSource.system(),
                    ArrivalAnchoredWallClock::new, new SessionIds(InstantSource.system()), GstIngestEngine.INSTANCE);
            for (int i = 0; i < 10; i++) { // warm-up: JIT, GStreamer plugin loading, thread pools
                cycle(supervisor, sink);
            }
            System.gc();
            Snapshot before = Snapshot.take();
            for (int i = 0; i < CYCLES; i++) {
                cycle(supervisor, sink);
            }
            System.gc();
            Thread.sleep(500); // let GStreamer's thread pools settle: real time is the subject here
            Snapshot after = Snapshot.take();
            supervisor.close();
            System.out.printf("leak check over %d cycles: java threads %d -> %d, native threads %d -> %d, "
                            + "VmRSS %d -> %d kB, sessions ended %d%n", CYCLES, before.javaThreads,
                    after.javaThreads, before.nativeThreads, after.nativeThreads, before.rssKb, after.rssKb,
                    sink.sessionEnds);
            assertThat(sink.sessionEnds).isEqualTo(10 + CYCLES);
            assertThat(after.javaThreads - before.javaThreads).as("Java threads").isLessThanOrEqualTo(3);
            assertThat(after.nativeThreads - before.nativeThreads).as("native threads").isLessThanOrEqualTo(8);
            assertThat(after.rssKb - before.rssKb).as("VmRSS growth, kB").isLessThan(48 * 1024);
        } finally {
            executor.shutdownNow();
        }
    }

    private static void cycle(CameraSupervisor supervisor, RecordingSinkCountingOnly sink) throws Exception {
        long framesBefore = sink.frames;
        supervisor.enable().get(5, TimeUnit.SECONDS);
        CameraSupervisorTest.await("STREAMING", Duration.ofSeconds(10),
                () -> supervisor.state() == CameraState.STREAMING && sink.frames > framesBefore);
        supervisor.disable().get(10, TimeUnit.SECONDS);
        assertThat(supervisor.state()).isEqualTo(CameraState.DISABLED);
    }

    /** Counts frames and session ends without keeping them (the test must not leak by itself). */
    static final class RecordingSinkCountingOnly implements org.vigie.media.FrameSink {
        volatile long frames;
        volatile long sessionEnds;

        @Override
        public void onFrame(org.vigie.media.Frame frame) {
            frames++;
        }

        @Override
        public void onSessionEnd(long sessionId) {
            sessionEnds++;
        }
    }

    record Snapshot(int javaThreads, int nativeThreads, long rssKb) {
        static Snapshot take() throws IOException {
            int java = ManagementFactory.getThreadMXBean().getThreadCount();
            int nativeThreads = 0;
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Threads:")) {
                    nativeThreads = Integer.parseInt(line.substring(8).trim());
                } else if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
            return new Snapshot(java, nativeThreads, rss);
        }
    }
}
