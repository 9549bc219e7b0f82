package org.vigie.recorder.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.storage.FsyncPolicy;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.RecorderConfig;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.recorder.storage.StorageChecker;
import org.vigie.recorder.testing.SyntheticStream;

/** Retention by age with an injected clock: 31 simulated days in seconds. */
class RetentionSweeperTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final StreamKey A = StreamKey.main("cam-a");
    static final StreamKey B = StreamKey.main("cam-b");

    @TempDir
    Path storage;

    final TestClock clock = new TestClock(T0);

    RecorderConfig config() {
        return RecorderConfig.defaults(storage).withDurations(Duration.ofSeconds(2), Duration.ofSeconds(1))
                .withFsync(FsyncPolicy.NONE);
    }

    @Test
    void thirtyOneDaysDestroyEverythingPastRetentionExceptTheHeldRangeAndTheRegisterListsEachDestruction()
            throws IOException {
        VolumeSet volumes = new VolumeSet(List.of(new StorageVolume(storage, 0, 0)), FreeSpace.FILE_STORE);
        RecordingRegister register = new FileRecordingRegister(FileRecordingRegister.defaultDir(storage), clock);
        FileHoldRegistry holds = FileHoldRegistry.open(FileHoldRegistry.defaultFile(storage), clock);
        Instant heldFrom = T0.plus(Duration.ofHours(8));
        Instant heldTo = heldFrom.plus(Duration.ofHours(2));
        LegalHold hold = holds.create("cam-a", heldFrom, heldTo, "PV-2026-0042", "assault, Vieux-Port",
                T0.plus(Duration.ofDays(60)), "supervisor");
        RetentionPolicy policy = new RetentionPolicy(RetentionPolicy.MAX_RETENTION, Map.of("cam-b", Duration.ofDays(2)));
        Map<Path, SegmentInfo> everRecorded = new HashMap<>();
        try (Recorder recorder = Recorder.open(config(), clock, volumes, register)) {
            RetentionSweeper sweeper = new RetentionSweeper(recorder, volumes, holds, policy, clock, 1000);
            Cameras cams = new Cameras(recorder);
            for (int day = 0; day <= 31; day++) {
                for (int hour : new int[] {0, 8, 9, 12}) {
                    Instant t = T0.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour));
                    clock.set(t);
                    cams.session(A, t, 3);
                    cams.session(B, t, 3);
                    for (StreamKey k : List.of(A, B)) {
                        recorder.catalog().segments(k).forEach(s -> everRecorded.put(s.segment(), s));
                    }
                    clock.advance(Duration.ofSeconds(10));
                    sweeper.runOnce();
                }
            }
            Instant now = clock.instant();
            for (StreamKey k : List.of(A, B)) {
                long cutoff = micros(now.minus(policy.retentionOf(k.cameraId())));
                for (SegmentInfo s : recorder.catalog().segments(k)) {
                    boolean held = k.equals(A) && s.startMicros() < micros(heldTo) && s.endMicros() > micros(heldFrom);
                    assertThat(s.startMicros() >= cutoff || held).as("%s %s kept", k, s.start()).isTrue();
                }
            }
            // the held range stays: cam-a's 08:00 and 09:00 sessions of day 0, three segments (2 s + 1 s) each ... 
            List<SegmentInfo> heldSegments = recorder.catalog().overlapping(A, micros(heldFrom), micros(heldTo));
            assertThat(heldSegments).hasSize(4).allMatch(s -> s.startMicros() >= micros(heldFrom));
            // ... and day 1, unheld, is gone
            assertThat(recorder.catalog().segments(A)).noneMatch(s -> s.startMicros() > micros(heldTo)
                    && s.startMicros() < micros(T0.plus(Duration.ofDays(1).plusHours(12))));
            assertThat(recorder.catalog().segments(B).get(0).start()).isAfterOrEqualTo(now.minus(Duration.ofDays(2)));
            assertThat(sweeper.segmentsDeletedByRetention()).isPositive();
            assertThat(sweeper.lastReport().heldKept()).isEqualTo(4);

            assertRegisterListsEveryDestroyedSegment(register, recorder.catalog(), everRecorded, now);

            holds.release(hold.id(), "supervisor");
            sweeper.runOnce();
            assertThat(recorder.catalog().overlapping(A, micros(heldFrom), micros(heldTo))).isEmpty();
            assertRegisterListsEveryDestroyedSegment(register, recorder.catalog(), everRecorded, clock.instant());
        }
        assertThat(StorageChecker.check(storage)).isEmpty();
        try (Stream<Path> files = Files.walk(storage)) {
            assertThat(files.filter(p -> p.toString().endsWith(".mp4")).count())
                    .isEqualTo(Catalog.load(storage).segments(A).size() + Catalog.load(storage).segments(B).size());
        }
    }

    private static void assertRegisterListsEveryDestroyedSegment(RecordingRegister register, Catalog catalog,
                                                                  Map<Path, SegmentInfo> ever, Instant now)
            throws IOException {
        List<RegisterEntry> entries = register.query(T0, now.plusSeconds(1), null, null, Integer.MAX_VALUE);
        assertThat(entries).allMatch(e -> e.kind() == RegisterEntry.Kind.DESTRUCTION && "retention".equals(e.cause()));
        Map<StreamKey, Long> destroyed = new HashMap<>();
        for (SegmentInfo s : ever.values()) {
            StreamKey k = new StreamKey(s.segment().getParent().getParent().getFileName().toString(), "main");
            if (catalog.get(k, s.startMicros()).isEmpty()) {
                destroyed.merge(k, 1L, Long::sum);
                assertThat(Files.exists(s.segment())).isFalse();
                assertThat(entries).as("register entry for %s", s.segment()).anyMatch(e -> e.cameraId()
                        .equals(k.cameraId()) && !e.from().isAfter(s.start()) && !e.to().isBefore(s.end()));
            }
        }
        for (StreamKey k : destroyed.keySet()) {
            assertThat(entries.stream().filter(e -> e.cameraId().equals(k.cameraId()))
                    .mapToLong(RegisterEntry::segments).sum()).isEqualTo(destroyed.get(k));
        }
    }

    @Test
    void theOpenSegmentIsNeverDestroyedEvenPastRetention() throws IOException {
        VolumeSet volumes = new VolumeSet(List.of(new StorageVolume(storage, 0, 0)), FreeSpace.FILE_STORE);
        RecordingRegister register = new FileRecordingRegister(FileRecordingRegister.defaultDir(storage), clock);
        HoldRegistry holds = FileHoldRegistry.open(FileHoldRegistry.defaultFile(storage), clock);
        RetentionPolicy policy = new RetentionPolicy(Duration.ofSeconds(90), Map.of());
        try (Recorder recorder = Recorder.open(config().withDurations(Duration.ofSeconds(60), Duration.ofSeconds(1)),
                clock, volumes, register)) {
            RetentionSweeper sweeper = new RetentionSweeper(recorder, volumes, holds, policy, clock, 100);
            FrameSink sink = recorder.sink(A);
            SyntheticStream g = new SyntheticStream(SyntheticStream.h264(320, 240), 7, micros(T0), 5, 5);
            for (int i = 0; i < 50; i++) { // 10 s into a 60 s segment: it stays open
                sink.onFrame(g.next());
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (recorder.stats(A).orElseThrow().framesWritten() < 45 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            SegmentInfo open = recorder.catalog().last(A).orElseThrow();
            assertThat(recorder.openSegments().isOpen(open.segment())).isTrue();
            clock.set(T0.plus(Duration.ofHours(1)));
            assertThat(sweeper.runOnce().retentionSegments()).isZero();
            assertThat(Files.exists(open.segment())).isTrue();

            sink.onSessionEnd(7);
            new Cameras(recorder).await(A);
            assertThat(sweeper.runOnce().retentionSegments()).isEqualTo(1);
            assertThat(recorder.catalog().segments(A)).isEmpty();
            assertThat(Files.exists(open.segment())).isFalse();
            assertThat(register.query(T0, clock.instant().plusSeconds(1), "cam-a", null, 10)).singleElement()
                    .satisfies(e -> assertThat(e.segments()).isEqualTo(1));
        }
    }

    /**
     * Security review, finding 2: a hold whose dates overflow the microsecond arithmetic (an absurd date stored by
     * an older version, or by hand in the journal) must not stop the sweep: the sweeper catches it per record,
     * counts and logs it, keeps that camera's footage (the safe side for evidence) and goes on with the others.
     */
    @Test
    void aHoldWithAnAbsurdDateDoesNotStopTheSweepOfTheOtherCameras() throws IOException {
        Path journal = FileHoldRegistry.defaultFile(storage);
        Files.createDirectories(journal.getParent());
        Files.writeString(journal, "{\"op\":\"create\",\"id\":\"H000001\",\"camera\":\"cam-a\","
                + "\"from\":\"-300000-01-01T00:00:00Z\",\"to\":\"" + T0.plus(Duration.ofDays(1)) + "\","
                + "\"case\":\"PV-1\",\"reason\":\"old journal\",\"expires\":\"" + T0.plus(Duration.ofDays(90))
                + "\",\"by\":\"sup\",\"at\":\"" + T0 + "\"}\n");
        VolumeSet volumes = new VolumeSet(List.of(new StorageVolume(storage, 0, 0)), FreeSpace.FILE_STORE);
        RecordingRegister register = new FileRecordingRegister(FileRecordingRegister.defaultDir(storage), clock);
        HoldRegistry holds = FileHoldRegistry.open(journal, clock);
        RetentionPolicy policy = new RetentionPolicy(RetentionPolicy.MAX_RETENTION, Map.of());
        try (Recorder recorder = Recorder.open(config(), clock, volumes, register)) {
            RetentionSweeper sweeper = new RetentionSweeper(recorder, volumes, holds, policy, clock, 1000);
            Cameras cams = new Cameras(recorder);
            cams.session(A, T0, 5);
            cams.session(B, T0, 5);
            int a = recorder.catalog().segments(A).size();
            assertThat(recorder.catalog().segments(B)).isNotEmpty();
            clock.set(T0.plus(Duration.ofDays(31)));
            SweepReport report = sweeper.runOnce();
            assertThat(recorder.catalog().segments(B)).as("cam-b past retention").isEmpty();
            assertThat(recorder.catalog().segments(A)).as("cam-a, under the bad hold, kept").hasSize(a);
            assertThat(report.failures()).as("the bad hold is counted").isPositive();
            assertThat(sweeper.failures()).isPositive();
        }
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }
}
