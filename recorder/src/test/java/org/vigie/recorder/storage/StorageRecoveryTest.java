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
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.recorder.mp4.FragmentInfo;
import org.vigie.recorder.mp4.SegmentScanner;
import org.vigie.recorder.testing.SyntheticStream;

/** Breaks the tail segment on purpose, like Kafka's testRecoveryWithCorruptMessage. */
class StorageRecoveryTest {

    @TempDir
    Path storage;

    /** Records two segments (the second is the tail, 10 fragments of 1 s) and returns the fixture. */
    private StreamFixture recordTwoSegments() {
        StreamFixture fx = new StreamFixture(storage, java.time.Duration.ofSeconds(10),
                java.time.Duration.ofSeconds(1));
        fx.feed(new SyntheticStream(SyntheticStream.h264(640, 360), 1, T0, 25, 25).take(500)).end();
        return fx;
    }

    private static int fragmentsBefore(List<IndexEntry> idx, long segmentLength, long cut) {
        int n = 0;
        for (int i = 0; i < idx.size(); i++) {
            long end = i + 1 < idx.size() ? idx.get(i + 1).position() : segmentLength;
            if (end <= cut) {
                n++;
            }
        }
        return n;
    }

    @Test
    void truncationAtRandomPositionsKeepsExactlyTheIntactPrefixAndRebuildsTheIndex() throws IOException {
        SplittableRandom rnd = new SplittableRandom(20260101);
        for (int round = 0; round < 30; round++) {
            cleanStorage();
            StreamFixture fx = recordTwoSegments();
            SegmentInfo tail = fx.segments().get(1);
            List<IndexEntry> original = fx.index(1);
            long length = Files.size(tail.segment());
            long initEnd = original.get(0).position();
            long cut = rnd.nextLong(initEnd, length);
            try (FileChannel ch = FileChannel.open(tail.segment(), StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            int expected = fragmentsBefore(original, length, cut);

            RecoveryReport report = StorageRecovery.recover(storage);

            if (expected == 0) {
                assertThat(Files.exists(tail.segment())).isFalse();
                assertThat(Files.exists(tail.index())).isFalse();
                assertThat(report.segments().get(0).deleted()).isTrue();
            } else {
                List<IndexEntry> rebuilt = TimeIndex.read(tail.index());
                assertThat(rebuilt).isEqualTo(original.subList(0, expected));
                long keptEnd = expected < original.size() ? original.get(expected).position() : length;
                assertThat(Files.size(tail.segment())).isEqualTo(keptEnd);
                assertThat(report.segments().get(0).fragmentsKept()).isEqualTo(expected);
                assertThat(report.bytesTruncated()).isEqualTo(cut - keptEnd);
            }
            assertThat(StorageChecker.check(storage)).isEmpty();
        }
    }

    @Test
    void garbageFromARandomPositionToTheEndKeepsExactlyTheStructurallyIntactPrefix() throws IOException {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 30; round++) {
            cleanStorage();
            StreamFixture fx = recordTwoSegments();
            SegmentInfo tail = fx.segments().get(1);
            List<IndexEntry> original = fx.index(1);
            List<FragmentInfo> fragments;
            try (FileChannel ch = FileChannel.open(tail.segment(), StandardOpenOption.READ)) {
                fragments = SegmentScanner.scan(ch).fragments();
            }
            long length = Files.size(tail.segment());
            long from = rnd.nextLong(original.get(0).position(), length);
            byte[] garbage = new byte[(int) (length - from)];
            rnd.nextBytes(garbage);
            try (FileChannel ch = FileChannel.open(tail.segment(), StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(garbage), from);
            }
            // No checksum in MP4: damage confined to a fragment's sample bytes is not detectable, so a fragment
            // survives when the garbage starts after its header (prft, moof and mdat header).
            int expected = (int) fragments.stream().filter(f -> f.samples().get(0).offset() <= from).count();

            StorageRecovery.recover(storage);

            if (expected == 0) {
                assertThat(Files.exists(tail.segment())).isFalse();
            } else {
                assertThat(TimeIndex.read(tail.index())).isEqualTo(original.subList(0, expected));
                assertThat(Files.size(tail.segment())).isEqualTo(fragments.get(expected - 1).end());
            }
            assertThat(StorageChecker.check(storage)).isEmpty();
            assertThat(fx.index(0)).hasSize(10); // the closed segment is untouched
        }
    }

    @Test
    void missingIndexEntryOfTheLastFragmentIsRebuilt() throws IOException {
        StreamFixture fx = recordTwoSegments();
        SegmentInfo tail = fx.segments().get(1);
        List<IndexEntry> original = fx.index(1);
        try (FileChannel ch = FileChannel.open(tail.index(), StandardOpenOption.WRITE)) {
            ch.truncate((long) (original.size() - 1) * TimeIndex.ENTRY_SIZE - 5); // crash mid-entry
        }
        RecoveryReport report = StorageRecovery.recover(storage);
        assertThat(TimeIndex.read(tail.index())).isEqualTo(original);
        assertThat(report.bytesTruncated()).isZero();
    }

    @Test
    void tailSegmentWithOnlyItsInitSegmentIsDeletedAndThePreviousBecomesTheTail() throws IOException {
        StreamFixture fx = recordTwoSegments();
        SegmentInfo tail = fx.segments().get(1);
        try (FileChannel ch = FileChannel.open(tail.segment(), StandardOpenOption.WRITE)) {
            ch.truncate(TimeIndex.read(tail.index()).get(0).position() + 3);
        }
        RecoveryReport report = StorageRecovery.recover(storage);
        assertThat(Files.exists(tail.segment())).isFalse();
        assertThat(report.segments()).hasSize(2);
        assertThat(report.segments().get(1).fragmentsKept()).isEqualTo(10);
        assertThat(Catalog.load(storage).segments(StreamFixture.KEY)).hasSize(1);
    }

    @Test
    void indexWithoutItsSegmentIsDeleted() throws IOException {
        StreamFixture fx = recordTwoSegments();
        Path orphan = fx.streamDir().resolve(StorageLayout.baseName(T0 / 1000 + 99 * 1000) + ".idx");
        Files.write(orphan, new byte[TimeIndex.ENTRY_SIZE]);
        RecoveryReport report = StorageRecovery.recover(storage);
        assertThat(report.orphanIndexesDeleted()).containsExactly(orphan);
        assertThat(Files.exists(orphan)).isFalse();
    }

    @Test
    void recoveredStorageIsLoadedByTheCatalogWithTheRightSpans() throws IOException {
        StreamFixture fx = recordTwoSegments();
        SegmentInfo tail = fx.segments().get(1);
        try (FileChannel ch = FileChannel.open(tail.segment(), StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(tail.segment()) - 1); // the last fragment is incomplete
        }
        StorageRecovery.recover(storage);
        Catalog loaded = Catalog.load(storage);
        List<SegmentInfo> segs = loaded.segments(StreamFixture.KEY);
        assertThat(segs).hasSize(2);
        assertThat(segs.get(1).endMicros()).isEqualTo(T0 + 19 * SECOND);
        assertThat(segs.get(1).fragmentCount()).isEqualTo(9);
    }

    private void cleanStorage() throws IOException {
        if (Files.exists(storage)) {
            try (var walk = Files.walk(storage)) {
                walk.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(storage)).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
