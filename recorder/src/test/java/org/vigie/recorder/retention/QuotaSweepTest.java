package org.vigie.recorder.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.storage.FsyncPolicy;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.RecorderConfig;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.recorder.storage.StorageChecker;
import org.vigie.recorder.storage.StreamStats;

/**
 * A small volume (a size-limited directory: {@link FreeSpace} counts the bytes under it against a capacity) fills
 * while four cameras record.
 */
class QuotaSweepTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final long CAPACITY = 200_000;
    static final long MIN_FREE = 50_000;

    @TempDir
    Path storage;

    /** Capacity minus what the directory holds. */
    static final class SizeLimitedDirectory implements FreeSpace {
        @Override
        public long usableBytes(Path volume) throws IOException {
            try (Stream<Path> files = Files.walk(volume)) {
                long used = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
                return Math.max(0, CAPACITY - used);
            }
        }

        @Override
        public long totalBytes(Path volume) {
            return CAPACITY;
        }
    }

    @Test
    void oldestSegmentsAcrossCamerasGoFirstAndNoFrameIsLost() throws IOException {
        TestClock clock = new TestClock(T0);
        FreeSpace space = new SizeLimitedDirectory();
        VolumeSet volumes = new VolumeSet(List.of(new StorageVolume(storage, MIN_FREE, 0)), space);
        RecordingRegister register = new FileRecordingRegister(storage.resolveSibling(storage.getFileName() + "-reg"),
                clock);
        HoldRegistry holds = FileHoldRegistry.open(storage.resolveSibling(storage.getFileName() + "-holds.jsonl"),
                clock);
        List<StreamKey> keys = List.of(StreamKey.main("cam-1"), StreamKey.main("cam-2"), StreamKey.main("cam-3"),
                StreamKey.main("cam-4"));
        Map<Path, SegmentInfo> ever = new HashMap<>();
        RecorderConfig config = RecorderConfig.defaults(storage).withDurations(Duration.ofSeconds(2),
                Duration.ofSeconds(1)).withFsync(FsyncPolicy.NONE);
        try (Recorder recorder = Recorder.open(config, clock, volumes, register)) {
            RetentionSweeper sweeper = new RetentionSweeper(recorder, volumes, holds, RetentionPolicy.maximum(),
                    clock, 500);
            Cameras cams = new Cameras(recorder);
            long destroyedBefore = 0;
            for (int round = 0; round < 40; round++) {
                Instant t = T0.plusSeconds(5L * round);
                clock.set(t);
                for (StreamKey k : keys) {
                    cams.feed(k, t, 4);
                }
                for (StreamKey k : keys) {
                    cams.await(k);
                    recorder.catalog().segments(k).forEach(s -> ever.put(s.segment(), s));
                }
                SweepReport report = sweeper.runOnce();
                assertThat(report.retentionSegments()).isZero();
                assertThat(space.usableBytes(storage)).as("round %d", round).isGreaterThanOrEqualTo(MIN_FREE);
                // oldest first across cameras: everything left starts after everything destroyed
                long oldestLeft = keys.stream().flatMap(k -> recorder.catalog().segments(k).stream())
                        .mapToLong(SegmentInfo::startMicros).min().orElse(Long.MAX_VALUE);
                long newestGone = ever.values().stream().filter(s -> !Files.exists(s.segment()))
                        .mapToLong(SegmentInfo::startMicros).max().orElse(Long.MIN_VALUE);
                assertThat(newestGone).isLessThanOrEqualTo(oldestLeft);
                destroyedBefore += report.quotaSegments();
            }
            assertThat(destroyedBefore).isEqualTo(sweeper.segmentsDeletedByQuota()).isGreaterThan(50);
            for (StreamKey k : keys) {
                StreamStats s = recorder.stats(k).orElseThrow();
                assertThat(s.framesWritten()).as("%s frames written", k).isEqualTo(cams.fed(k));
                assertThat(s.framesDropped() + s.writeErrors()).isZero();
                assertThat(recorder.catalog().segments(k)).isNotEmpty();
            }
            List<RegisterEntry> entries = register.query(T0, clock.instant().plusSeconds(1), null, null, 10_000);
            assertThat(entries).allMatch(e -> "quota".equals(e.cause()));
            assertThat(entries.stream().mapToLong(RegisterEntry::segments).sum())
                    .isEqualTo(sweeper.segmentsDeletedByQuota());
            List<SegmentInfo> inMemory = new ArrayList<>();
            keys.forEach(k -> inMemory.addAll(recorder.catalog().segments(k)));
            List<SegmentInfo> onDisk = new ArrayList<>();
            Catalog loaded = Catalog.load(storage);
            keys.forEach(k -> onDisk.addAll(loaded.segments(k)));
            assertThat(onDisk).isEqualTo(inMemory);
            assertThat(StorageChecker.check(storage)).isEmpty();
        }
    }
}
