package org.vigie.recorder.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.recorder.testing.SyntheticStream.SECOND;
import static org.vigie.recorder.testing.SyntheticStream.T0;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.recorder.testing.SyntheticStream;

class StorageCheckerTest {

    @TempDir
    Path storage;
    StreamFixture fx;

    @BeforeEach
    void record() {
        fx = new StreamFixture(storage, Duration.ofSeconds(10), Duration.ofSeconds(2));
        fx.feed(new SyntheticStream(SyntheticStream.h264(640, 360), 1, T0, 25, 25).take(500)).end();
    }

    @Test
    void cleanStorageHasNoFault() throws IOException {
        assertThat(fx.segments()).hasSize(2);
        assertThat(StorageChecker.check(storage)).isEmpty();
    }

    @Test
    void tamperedIndexEntryIsDetected() throws IOException {
        Path idx = fx.segments().get(0).index();
        try (FileChannel ch = FileChannel.open(idx, StandardOpenOption.WRITE)) { // sample count 50 -> 49
            ch.write(ByteBuffer.allocate(4).putInt(0, 0x8000_0000 | 49), 2L * TimeIndex.ENTRY_SIZE + 20);
        }
        List<StorageFault> faults = StorageChecker.check(storage);
        assertThat(faults).singleElement().satisfies(f -> {
            assertThat(f.stream()).isEqualTo("cam-1/main");
            assertThat(f.file()).isEqualTo(idx.getFileName().toString());
            assertThat(f.problem()).contains("entry 2").contains("fragment says");
        });
    }

    @Test
    void nonMonotonicIndexIsDetectedBySanityCheck() throws IOException {
        Path idx = fx.segments().get(0).index();
        List<IndexEntry> entries = new ArrayList<>(TimeIndex.read(idx));
        IndexEntry e = entries.get(3);
        entries.set(3, new IndexEntry(entries.get(1).wallMicros(), e.position(), e.durationMicros(), e.keyFrame(),
                e.sampleCount()));
        TimeIndex.rewrite(idx, entries);
        assertThat(StorageChecker.check(storage)).singleElement()
                .satisfies(f -> assertThat(f.problem()).contains("entry 3 wall time"));
    }

    @Test
    void missingSegmentAndMissingIndexAreDetected() throws IOException {
        Files.delete(fx.segments().get(0).segment());
        Files.delete(fx.segments().get(1).index());
        List<StorageFault> faults = StorageChecker.check(storage);
        assertThat(faults).extracting(StorageFault::problem)
                .containsExactlyInAnyOrder("index without its segment", "segment without its index");
        assertThat(faults).extracting(Object::toString).allMatch(l -> l.startsWith("cam-1/main 0000"));
    }

    @Test
    void truncatedSegmentIsDetected() throws IOException {
        Path mp4 = fx.segments().get(1).segment();
        try (FileChannel ch = FileChannel.open(mp4, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 10);
        }
        List<StorageFault> faults = StorageChecker.check(storage);
        assertThat(faults).extracting(StorageFault::problem).anyMatch(p -> p.startsWith("does not parse to its end"))
                .anyMatch(p -> p.contains("entries for"));
    }

    @Test
    void overlappingSegmentsAreDetected() throws IOException {
        Path idx = fx.segments().get(1).index();
        List<IndexEntry> entries = TimeIndex.read(idx);
        List<IndexEntry> shifted = new ArrayList<>();
        for (IndexEntry e : entries) {
            shifted.add(new IndexEntry(e.wallMicros() - SECOND, e.position(), e.durationMicros(), e.keyFrame(),
                    e.sampleCount()));
        }
        TimeIndex.rewrite(idx, shifted);
        assertThat(StorageChecker.check(storage)).extracting(StorageFault::problem)
                .anyMatch(p -> p.contains("before the end of"));
    }
}
