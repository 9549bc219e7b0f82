package org.vigie.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.ingest.CameraState;
import org.vigie.media.StreamKey;
import org.vigie.recorder.retention.RegisterEntry;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.recorder.storage.StorageChecker;
import org.vigie.recorder.storage.StreamStats;
import org.vigie.server.VmsServer;
import org.vigie.server.camera.Camera;
import org.vigie.server.config.VmsConfig;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.testing.Await;

/**
 * Issue #6 acceptance: a small volume (a size-limited tmpfs the test mounts itself: CI runs as root) fills while
 * four cameras record at 2 Mbit/s: the oldest segments go first, no frame is lost, the server stays up, and the
 * index and the offline check stay consistent.
 */
class FullVolumeIT {

    @TempDir
    Path dir;

    @Test
    void aSmallVolumeFillsAndTheOldestSegmentsGoFirstWithoutLosingAFrame() throws Exception {
        Path volume = Files.createDirectories(dir.resolve("volume"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", volume.toString()) == 0,
                "mounting a 40 MB tmpfs needs root (CI runs as root)");
        try (CameraSimulator sim = CameraSimulator.start(0, 4, SimulatorOptions.defaults())) {
            StringBuilder cams = new StringBuilder();
            List<String> ids = sim.cameraIds();
            for (String id : ids) {
                cams.append("  - { id: ").append(id).append(", url: '").append(sim.url(id)).append("' }\n");
            }
            VmsConfig config = VmsConfig.parse("""
                    server: { bind-address: 127.0.0.1, http-port: 0, rtsp-port: 0 }
                    database: { path: '%s' }
                    storage:
                      volumes: [ { path: '%s', min-free: 16MB } ]
                      segment-duration: 4s
                      retention-sweep-interval: 1s
                    cameras:
                    %s""".formatted(dir.resolve("vms.db"), volume, cams));
            VmsServer server = VmsServer.start(config, InstantSource.system());
            long destroyedByQuota;
            // the cameras as they are: close() empties the registry, but each keeps its supervisors and their
            // final counts (read after close, once ingest has stopped and the recorder has flushed)
            Map<String, Camera> cameras = new HashMap<>();
            try {
                Await.until("all cameras streaming", Duration.ofSeconds(30), () -> server.cameras().list().stream()
                        .allMatch(c -> c.state() == CameraState.STREAMING));
                // 4 x 2 Mbit/s = 1 MB/s into 40 MB with 16 MB kept free: the sweeper must act within ~25 s.
                Await.until("the sweeper freeing room", Duration.ofSeconds(90),
                        () -> server.retention().sweeper().segmentsDeletedByQuota() >= 8);
                Thread.sleep(10_000);
                for (String id : ids) {
                    assertThat(server.cameras().get(id).orElseThrow().state()).isEqualTo(CameraState.STREAMING);
                }
                destroyedByQuota = server.retention().sweeper().segmentsDeletedByQuota();
                for (String id : ids) {
                    cameras.put(id, server.cameras().get(id).orElseThrow());
                }
                assertThat(volume.toFile().getUsableSpace()).as("free space kept near the target")
                        .isGreaterThan(8L << 20);
            } finally {
                server.close();
            }
            for (String id : ids) {
                StreamKey key = StreamKey.main(id);
                StreamStats s = server.recorder().stats(key).orElseThrow();
                long ingested = cameras.get(id).mainStatus().frames();
                assertThat(ingested).as("%s: frames ingested", id).isPositive();
                assertThat(s.framesDropped()).as("%s: frames dropped", id).isZero();
                assertThat(s.writeErrors()).as("%s: write errors", id).isZero();
                assertThat(s.framesWritten() + s.framesSkipped()).as("%s: every frame ingested was written", id)
                        .isEqualTo(ingested);
                List<SegmentInfo> left = server.recorder().catalog().segments(key);
                assertThat(left).isNotEmpty();
                // oldest first: everything destroyed for this camera is older than everything kept
                List<RegisterEntry> destroyed; // the register is in the store, closed with the server: read it again
                try (org.vigie.server.store.Database db = org.vigie.server.store.Database.open(config.database())) {
                    destroyed = new org.vigie.server.store.RegisterStore(db, InstantSource.system(), "")
                            .query(Instant.EPOCH, Instant.now().plusSeconds(60), id, RegisterEntry.Kind.DESTRUCTION,
                                    10_000);
                }
                for (RegisterEntry e : destroyed) {
                    assertThat(e.to()).as("%s destroyed %s..%s while keeping from %s", id, e.from(), e.to(),
                            left.get(0).start()).isBeforeOrEqualTo(left.get(0).start());
                }
            }
            assertThat(destroyedByQuota).isGreaterThanOrEqualTo(8);
            assertThat(StorageChecker.check(List.of(volume))).isEmpty();
            System.out.printf("full volume: %d segments destroyed for room, %d MB free of 40 at the end%n",
                    destroyedByQuota, volume.toFile().getUsableSpace() >> 20);
        } finally {
            run("umount", "-l", volume.toString());
        }
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
