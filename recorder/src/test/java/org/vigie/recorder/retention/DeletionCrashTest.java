package org.vigie.recorder.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.storage.DeletionSteps;
import org.vigie.recorder.storage.FsyncPolicy;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.RecorderConfig;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.recorder.storage.StorageChecker;
import org.vigie.recorder.storage.StorageFault;
import org.vigie.recorder.storage.StorageVolumes;

/**
 * {@code kill -9} during a deletion sweep: after restart nothing dangles (no index entry without its file, no file
 * the index forgot), and every segment that is gone is in the register exactly once.
 */
class DeletionCrashTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path storage;

    /**
     * The child stops at one exact point of the deletion protocol in one batch ({@link DeletionSteps}) and is killed
     * there with SIGKILL: what it had destroyed is known exactly. A batch whose mark was written is finished at the
     * next start, so after the restart exactly the first {@code batch} batches (three segments each) are gone.
     */
    @ParameterizedTest(name = "killed at {1} (segment {2}) of batch {0}")
    @CsvSource({"1, MARKED, -1", "14, UNLISTED, -1", "27, SEGMENT_UNLINKED, 1", "40, INDEX_UNLINKED, 0",
            "41, FOLDER_SYNCED, -1", "60, LISTENER_TOLD, -1", "79, MARK_DELETED, -1"})
    void killDuringSweepLeavesNothingDangling(int batch, DeletionSteps.Step step, int segment) throws Exception {
        TestClock clock = new TestClock(T0);
        StreamKey a = StreamKey.main("cam-a");
        StreamKey b = StreamKey.main("cam-b");
        Map<Path, SegmentInfo> recorded = new HashMap<>();
        RecorderConfig config = RecorderConfig.defaults(storage).withDurations(Duration.ofSeconds(2),
                Duration.ofSeconds(1)).withFsync(FsyncPolicy.NONE);
        try (Recorder r = Recorder.open(config, clock)) {
            Cameras cams = new Cameras(r);
            for (int i = 0; i < 60; i++) {
                cams.session(a, T0.plusSeconds(10L * i), 3);
                cams.session(b, T0.plusSeconds(10L * i), 3);
            }
            for (StreamKey k : List.of(a, b)) {
                r.catalog().segments(k).forEach(s -> recorded.put(s.segment(), s));
            }
        }
        assertThat(recorded).hasSize(240);

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SweepCrashChild.class.getName(), storage.toString(),
                String.valueOf(batch), step.name(), String.valueOf(segment)).redirectErrorStream(true).start();
        String stopped = "stopped at " + step + " " + segment + " of batch " + batch;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null && !line.equals(stopped)) {
                lines.add(line);
            }
            assertThat(line).as("the child's output: %s", lines).isEqualTo(stopped);
            child.destroyForcibly(); // SIGKILL, while the child waits at that point
            child.waitFor();
        }

        List<StorageFault> faults = StorageChecker.check(storage);
        assertThat(faults).allMatch(f -> f.problem().startsWith("deletion mark left behind"), "only marks");
        RecordingRegister register = new FileRecordingRegister(FileRecordingRegister.defaultDir(storage), clock);
        try (Recorder r = Recorder.open(config, clock, StorageVolumes.single(storage), register)) {
            Catalog catalog = r.catalog();
            List<RegisterEntry> entries = register.query(Instant.EPOCH, Instant.now().plusSeconds(60), null, null,
                    Integer.MAX_VALUE);
            List<String> ids = entries.stream().map(RegisterEntry::id).toList();
            assertThat(ids).doesNotHaveDuplicates();
            long gone = 0;
            for (SegmentInfo s : recorded.values()) {
                StreamKey k = s.segment().toString().contains("cam-a") ? a : b;
                boolean listed = catalog.get(k, s.startMicros()).isPresent();
                assertThat(Files.exists(s.segment())).as("%s on disk iff indexed", s.segment()).isEqualTo(listed);
                assertThat(Files.exists(s.index())).isEqualTo(listed);
                if (!listed) {
                    gone++;
                    assertThat(entries).as("register lists %s", s.segment()).anyMatch(e -> e.cameraId()
                            .equals(k.cameraId()) && !e.from().isAfter(s.start()) && !e.to().isBefore(s.end()));
                }
            }
            assertThat(entries.stream().mapToLong(RegisterEntry::segments).sum()).isEqualTo(gone);
            assertThat(gone).as("segments gone: the %d batches begun, the last one finished at the restart", batch)
                    .isEqualTo(3L * batch);
            assertThat(ids).as("register entries: one per batch").hasSize(batch);
        }
        assertThat(StorageChecker.check(storage)).isEmpty();
        try (Stream<Path> files = Files.walk(storage)) {
            List<Path> left = new ArrayList<>(files.filter(p -> p.toString().endsWith(".mp4")
                    || p.toString().endsWith(".idx") || p.toString().endsWith(".del")).toList());
            Catalog loaded = Catalog.load(storage);
            assertThat(left).hasSize(2 * (loaded.segments(a).size() + loaded.segments(b).size()));
        }
    }
}
