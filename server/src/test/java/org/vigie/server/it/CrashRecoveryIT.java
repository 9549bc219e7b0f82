package org.vigie.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.testing.Await;
import org.vigie.testing.Ffprobe;

/**
 * Issue #2 acceptance: {@code kill -9} the server while it records and restart it: the tail segment is playable,
 * at most the open fragment is lost, {@code bin/vms check} reports clean, and recording resumes.
 */
class CrashRecoveryIT {

    @TempDir
    Path dir;

    @Test
    void killNineLosesAtMostTheOpenFragmentAndRecordingResumes() throws Exception {
        Path storage = dir.resolve("recordings");
        Path log = dir.resolve("server.log");
        try (CameraSimulator sim = CameraSimulator.start(0, 2, SimulatorOptions.defaults())) {
            Path config = dir.resolve("vms.yaml");
            Files.writeString(config, """
                    server: { bind-address: 127.0.0.1, http-port: 0, rtsp-port: 0 }
                    storage: { path: '%s', segment-duration: 60s, fragment-duration: 2s }
                    cameras:
                      - { id: cam-a, url: '%s' }
                      - { id: cam-b, url: '%s' }
                    """.formatted(storage, sim.url(sim.cameraIds().get(0)), sim.url(sim.cameraIds().get(1))));
            List<StreamKey> keys = List.of(StreamKey.main("cam-a"), StreamKey.main("cam-b"));

            ServerProcess first = ServerProcess.start(log, "run", "--config", config.toString());
            Instant killedAt;
            try {
                Await.until("two fragments per camera", Duration.ofSeconds(60), () -> keys.stream()
                        .allMatch(k -> indexBytes(storage, k) >= 2L * org.vigie.recorder.storage.TimeIndex.ENTRY_SIZE), () -> readQuietly(log));
                Thread.sleep(5_300); // land the kill in the middle of an open fragment
                killedAt = Instant.now();
                first.kill9();
            } finally {
                first.close();
            }
            assertThat(Files.exists(storage.resolve(".clean-shutdown"))).isFalse();

            ServerProcess second = ServerProcess.start(log, "run", "--config", config.toString());
            try {
                Await.until("recording resumed on every camera", Duration.ofSeconds(60), () -> {
                    try {
                        Catalog c = Catalog.load(storage);
                        return keys.stream().allMatch(k -> c.segments(k).size() >= 2
                                && c.last(k).orElseThrow().fragmentCount() >= 1);
                    } catch (Exception e) {
                        return false;
                    }
                }, () -> readQuietly(log));
                assertThat(second.stop()).isZero();
            } finally {
                second.close();
            }

            assertThat(readQuietly(log)).contains("recovered");
            Catalog catalog = Catalog.load(storage);
            for (StreamKey k : keys) {
                SegmentInfo crashed = catalog.segments(k).get(0);
                Ffprobe.Probe p = Ffprobe.probe(crashed.segment());
                assertThat(p.firstFrameKey()).isTrue();
                assertThat(p.frames()).isGreaterThan(25);
                // Only the open fragment may be lost: the recovered tail ends within one fragment (2 s, closed on
                // the next key frame of a 2 s GOP, so up to 4 s) of the kill.
                Duration lost = Duration.between(crashed.end(), killedAt);
                assertThat(lost).as("video lost by %s", k).isLessThanOrEqualTo(Duration.ofMillis(4_500));
            }
            int status = ServerProcess.runToCompletion(dir.resolve("check.log"), "check", "--config", config.toString());
            assertThat(status).as(readQuietly(dir.resolve("check.log"))).isZero();
            assertThat(readQuietly(dir.resolve("check.log"))).contains("check: clean");
        }
    }

    private static long indexBytes(Path storage, StreamKey k) {
        try (var files = Files.list(storage.resolve(k.cameraId()).resolve(k.stream()))) {
            return files.filter(f -> f.toString().endsWith(".idx")).mapToLong(f -> f.toFile().length()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
