package org.vigie.recorder.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.DeletionListener;
import org.vigie.recorder.storage.FsyncPolicy;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.RecorderConfig;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.recorder.storage.StorageChecker;
import org.vigie.recorder.storage.StorageLayout;
import org.vigie.recorder.storage.StorageVolumes;

/** The deletion protocol, broken on purpose at its fragile steps. */
class SegmentDeleterTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final StreamKey KEY = StreamKey.main("cam-1");

    @TempDir
    Path storage;

    final TestClock clock = new TestClock(T0);

    RecorderConfig config() {
        return RecorderConfig.defaults(storage).withDurations(Duration.ofSeconds(2), Duration.ofSeconds(1))
                .withFsync(FsyncPolicy.NONE);
    }

    List<SegmentInfo> record(int sessions) throws IOException {
        try (Recorder r = Recorder.open(config(), clock)) {
            Cameras cams = new Cameras(r);
            for (int i = 0; i < sessions; i++) {
                cams.session(KEY, T0.plusSeconds(10L * i), 3);
            }
            return r.catalog().segments(KEY);
        }
    }

    @Test
    void aCrashAfterTheUnlinksLeavesAMarkTheCheckerReportsAndTheNextStartFinishes() throws IOException {
        List<SegmentInfo> segments = record(3);
        AtomicInteger told = new AtomicInteger();
        DeletionListener crashing = mark -> {
            told.incrementAndGet();
            throw new IOException("simulated crash before the mark is removed");
        };
        try (Recorder r = Recorder.open(config(), clock, StorageVolumes.single(storage), crashing)) {
            assertThatThrownBy(() -> r.deleter().delete(KEY, segments.subList(0, 2), "manual", clock.instant()))
                    .isInstanceOf(IOException.class);
            assertThat(r.catalog().segments(KEY)).hasSize(segments.size() - 2);
        }
        assertThat(told).hasValue(1);
        assertThat(Files.exists(segments.get(0).segment())).isFalse();
        assertThat(Files.exists(segments.get(0).index())).isFalse();
        assertThat(StorageChecker.check(storage)).singleElement()
                .satisfies(f -> assertThat(f.problem()).startsWith("deletion mark left behind"));

        RecordingRegister register = new FileRecordingRegister(storage.resolve("reg"), clock);
        try (Recorder r = Recorder.open(config(), clock, StorageVolumes.single(storage), register)) {
            assertThat(r.finishedDeletions()).singleElement()
                    .satisfies(m -> assertThat(m.segments()).hasSize(2));
            assertThat(r.catalog().segments(KEY)).isEqualTo(segments.subList(2, segments.size()));
        }
        assertThat(register.query(T0, T0.plus(Duration.ofDays(1)), null, null, 10)).singleElement()
                .satisfies(e -> {
                    assertThat(e.segments()).isEqualTo(2);
                    assertThat(e.cause()).isEqualTo("manual");
                    assertThat(e.from()).isEqualTo(segments.get(0).start());
                    assertThat(e.to()).isEqualTo(segments.get(1).end());
                });
        assertThat(StorageChecker.check(storage)).isEmpty();
    }

    @Test
    void aTornMarkIsDiscardedAndNothingIsRemoved() throws IOException {
        List<SegmentInfo> segments = record(2);
        Path dir = StorageLayout.deletingDir(storage);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cam-1+main+" + StorageLayout.baseNameOf(segments.get(0).segment()) + ".del"),
                "vigie-deletion 1\nstream cam-1 main\ncause retention\nat 17672");
        assertThat(StorageChecker.check(storage)).hasSize(1);
        try (Recorder r = Recorder.open(config(), clock, StorageVolumes.single(storage), DeletionListener.NONE)) {
            assertThat(r.finishedDeletions()).isEmpty();
            assertThat(r.catalog().segments(KEY)).isEqualTo(segments);
        }
        assertThat(StorageChecker.check(storage)).isEmpty();
    }

    @Test
    void theOpenSegmentIsRefused() throws IOException {
        try (Recorder r = Recorder.open(config().withDurations(Duration.ofSeconds(60), Duration.ofSeconds(1)), clock)) {
            Cameras cams = new Cameras(r);
            cams.session(KEY, T0, 3);
            var sink = r.sink(KEY);
            var g = new org.vigie.recorder.testing.SyntheticStream(
                    org.vigie.recorder.testing.SyntheticStream.h264(320, 240), 99,
                    (T0.getEpochSecond() + 100) * 1_000_000L, 5, 5);
            for (int i = 0; i < 20; i++) {
                sink.onFrame(g.next());
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (r.catalog().segments(KEY).size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            SegmentInfo open = r.catalog().last(KEY).orElseThrow();
            assertThatThrownBy(() -> r.deleter().delete(KEY, List.of(open), "manual", clock.instant()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("being written");
            assertThat(Files.exists(open.segment())).isTrue();
            assertThat(StorageLayout.deletionMarks(storage)).isEmpty();
        }
    }
}
