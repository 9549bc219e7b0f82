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

    @TempDir
    Path crashed;

    /** The files of {@code storage} as a crash would leave them on disk: copied while the writer still has them open. */
    private void crashImage() throws IOException {
        cleanDir(crashed);
        try (var walk = Files.walk(storage)) {
            for (Path p : walk.toList()) {
                Path to = crashed.resolve(storage.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
    }

    @Test
    void aCrashWhileAFragmentsFramesAreStreamedBeforeItsHeadLosesOnlyThatFragment() throws IOException {
        SplittableRandom rnd = new SplittableRandom(20261207);
        for (int round = 0; round < 20; round++) {
            cleanStorage();
            StreamFixture fx = new StreamFixture(storage, java.time.Duration.ofSeconds(10),
                    java.time.Duration.ofSeconds(1));
            int closed = rnd.nextInt(0, 9); // fragments closed before the crash (GOP = fragment = 1 s)
            int open = rnd.nextInt(1, 25); // frames of the open fragment already streamed to the file
            List<org.vigie.media.Frame> frames = new SyntheticStream(SyntheticStream.h264(640, 360), 1, T0, 25, 25)
                    .take(25 * closed + open);
            fx.feed(frames);
            fx.recorder.flush(); // the writer thread's end of drain
            List<SegmentInfo> published = fx.segments();
            Path segment = StorageLayout.segments(fx.streamDir()).get(0);
            List<IndexEntry> index = TimeIndex.read(StorageLayout.indexOf(segment));
            long publishedBytes = published.isEmpty() ? 0 : published.get(0).bytes();
            long streamed = frames.subList(25 * closed, frames.size()).stream().mapToLong(f -> f.size()).sum();
            crashImage();
            fx.end();
            Path crashedSegment = crashed.resolve(storage.relativize(segment).toString());
            long start = closed == 0 ? org.vigie.recorder.mp4.InitSegmentWriter.write(frames.get(0).format()).length
                    : publishedBytes;
            // on disk: the published fragments, then the open fragment's reserved head (a hole), then its frames
            assertThat(Files.size(crashedSegment)).isGreaterThan(start + streamed);
            assertThat(Files.readAllBytes(crashedSegment)[(int) start + 3]).isZero();

            RecoveryReport report = StorageRecovery.recover(crashed);

            if (closed == 0) {
                assertThat(Files.exists(crashedSegment)).isFalse();
                assertThat(report.segments().get(0).deleted()).isTrue();
            } else {
                assertThat(published).hasSize(1);
                assertThat(published.get(0).fragmentCount()).isEqualTo(closed);
                assertThat(TimeIndex.read(StorageLayout.indexOf(crashedSegment))).isEqualTo(index);
                assertThat(Files.size(crashedSegment)).isEqualTo(publishedBytes);
                assertThat(report.segments().get(0).problem()).contains("expected 'prft'");
                assertThat(Catalog.load(crashed).segments(StreamFixture.KEY))
                        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("segment").isEqualTo(published);
            }
            assertThat(StorageChecker.check(crashed)).isEmpty();
        }
    }

    @Test
    void aCrashWithAPartlyWrittenHeadOrMissingFramesKeepsExactlyTheFragmentsBeforeIt() throws IOException {
        SplittableRandom rnd = new SplittableRandom(61);
        for (int round = 0; round < 30; round++) {
            cleanStorage();
            StreamFixture fx = recordTwoSegments();
            SegmentInfo tail = fx.segments().get(1);
            List<IndexEntry> original = fx.index(1);
            List<FragmentInfo> fragments;
            try (FileChannel ch = FileChannel.open(tail.segment(), StandardOpenOption.READ)) {
                fragments = SegmentScanner.scan(ch).fragments();
            }
            byte[] bytes = Files.readAllBytes(tail.segment());
            int j = rnd.nextInt(fragments.size()); // the fragment being closed when the machine stopped
            FragmentInfo f = fragments.get(j);
            int headAt = (int) f.position();
            int headLength = (int) (f.samples().get(0).offset() - f.position());
            byte[] head = java.util.Arrays.copyOfRange(bytes, headAt, headAt + headLength);
            // what reached the disk of the head: nothing (a hole), a prefix, a suffix (pages out of order), or all
            int mode = rnd.nextInt(4);
            int k = rnd.nextInt(headLength);
            switch (mode) {
                case 0 -> java.util.Arrays.fill(bytes, headAt, headAt + headLength, (byte) 0);
                case 1 -> java.util.Arrays.fill(bytes, headAt + k, headAt + headLength, (byte) 0);
                case 2 -> java.util.Arrays.fill(bytes, headAt, headAt + k, (byte) 0);
                default -> { }
            }
            // and of its frames: all, or up to a random point (the file ends there)
            long cut = rnd.nextBoolean() ? f.end() : rnd.nextLong(f.samples().get(0).offset(), f.end());
            Files.write(tail.segment(), java.util.Arrays.copyOf(bytes, (int) cut));
            boolean headIntact = java.util.Arrays.equals(head,
                    java.util.Arrays.copyOfRange(bytes, headAt, headAt + headLength));
            int expected = j + (headIntact && cut == f.end() ? 1 : 0);

            StorageRecovery.recover(storage);

            if (expected == 0) {
                assertThat(Files.exists(tail.segment())).isFalse();
            } else {
                assertThat(TimeIndex.read(tail.index())).isEqualTo(original.subList(0, expected));
                assertThat(Files.size(tail.segment())).isEqualTo(fragments.get(expected - 1).end());
            }
            assertThat(StorageChecker.check(storage)).isEmpty();
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
        cleanDir(storage);
    }

    private static void cleanDir(Path storage) throws IOException {
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
