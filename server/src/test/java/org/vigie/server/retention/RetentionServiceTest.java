package org.vigie.server.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.StreamKey;
import org.vigie.recorder.retention.FreeSpace;
import org.vigie.recorder.retention.RegisterEntry;
import org.vigie.recorder.retention.RetentionSweeper;
import org.vigie.recorder.storage.Recorder;
import org.vigie.server.store.Database;
import org.vigie.recorder.storage.RecorderConfig;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.VideoFormat;
import org.vigie.server.config.ConfigException;
import org.vigie.server.config.VmsConfig;

/** The configuration keys of issue #6 and the wiring: two volumes, per-camera retention, a sweep on its thread. */
class RetentionServiceTest {

    @TempDir
    Path dir;

    @Test
    void volumesAndRetentionFromTheConfigurationDestroyAnOldSegmentOnTheSweeperThread() throws Exception {
        Path d1 = dir.resolve("disk1");
        Path d2 = dir.resolve("disk2");
        VmsConfig c = VmsConfig.parse("""
                storage:
                  volumes:
                    - path: %s
                      min-free: 1MB
                    - path: %s
                      min-free: 2%%
                  retention-sweep-interval: 1s
                cameras:
                  - id: cam-1
                    url: rtsp://127.0.0.1/x
                    retention: 90s
                """.formatted(d1, d2));
        assertThat(c.storage().path()).isEqualTo(d1);
        assertThat(c.storage().volumes()).extracting(v -> v.minFreeBytes(), v -> v.minFreePercent())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L << 20, 0),
                        org.assertj.core.groups.Tuple.tuple(0L, 2));
        InstantSource clock = InstantSource.system();
        Database db = Database.open(d1.resolve("vms.db"));
        RetentionService service = RetentionService.create(c.storage(), c.cameras(), clock, FreeSpace.FILE_STORE, db,
                "");
        StreamKey key = StreamKey.main("cam-1");
        try (Recorder recorder = service.openRecorder(RecorderConfig.defaults(d1)
                .withDurations(Duration.ofSeconds(2), Duration.ofSeconds(1)))) {
            assertThat(recorder.volumes().roots()).containsExactly(d1, d2);
            long start = (Instant.now().getEpochSecond() - 600) * 1_000_000L; // ten minutes ago: past 90 s
            var sink = recorder.sink(key);
            for (int i = 0; i < 15; i++) {
                sink.onFrame(frame(i, start + i * 200_000L));
            }
            sink.onSessionEnd(1);
            RetentionSweeper sweeper = service.start(recorder);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while ((recorder.stats(key).orElseThrow().framesWritten() < 15 || !recorder.catalog().segments(key).isEmpty()
                    || sweeper.segmentsDeletedByRetention() == 0) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(recorder.catalog().segments(key)).isEmpty();
            assertThat(sweeper.segmentsDeletedByRetention()).isEqualTo(2);
            assertThat(sweeper.volumeStatus()).hasSize(2);
            List<RegisterEntry> entries = service.register().query(Instant.EPOCH, Instant.now().plusSeconds(5),
                    "cam-1", RegisterEntry.Kind.DESTRUCTION, 10);
            assertThat(entries).extracting(RegisterEntry::segments).containsExactly(2L);
            service.close();
        } finally {
            db.close();
        }
    }

    /** A synthetic H.264 access unit (one NAL, IDR every 5 frames) at 5 fps. */
    private static Frame frame(int n, long wallMicros) {
        byte[] avcC = {1, 0x42, (byte) 0xc0, 0x1e, (byte) 0xff, (byte) 0xe1, 0, 4, 0x67, 0x42, (byte) 0xc0, 0x1e,
                1, 0, 2, 0x68, (byte) 0xce};
        boolean key = n % 5 == 0;
        byte[] data = new byte[4 + 40];
        data[3] = 40;
        data[4] = (byte) (key ? 0x65 : 0x41);
        data[5] = (byte) n;
        return new Frame(new VideoFormat(Codec.H264, 320, 240, avcC), 1, 90_000L + n * 18_000L, wallMicros, key, data);
    }

    @Test
    void badVolumeKeysAreRefused() {
        assertThatThrownBy(() -> VmsConfig.parse("storage:\n  path: /a\n  volumes:\n    - path: /b\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> VmsConfig.parse("storage:\n  volumes:\n    - path: /b\n      min-free: lots\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("min-free");
        assertThatThrownBy(() -> VmsConfig.parse("storage:\n  volumes:\n    - path: /b\n    - path: /b/c\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("inside");
        assertThatThrownBy(() -> VmsConfig.parse("storage:\n  volumes:\n    - path: /b\n      size: 3\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key");
        assertThatThrownBy(() -> VmsConfig.parse("storage:\n  retention-sweep-interval: 0s\n"))
                .isInstanceOf(ConfigException.class);
    }
}
