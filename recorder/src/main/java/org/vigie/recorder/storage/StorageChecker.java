package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.TreeMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vigie.media.StreamKey;
import org.vigie.recorder.mp4.FragmentInfo;
import org.vigie.recorder.mp4.SegmentScan;
import org.vigie.recorder.mp4.SegmentScanner;

/**
 * The offline storage check behind {@code bin/vms check} (run with the server stopped). For each stream it verifies
 * that every segment parses to its end, that every {@code .mp4} has its {@code .idx} and vice versa, that each index
 * passes {@link TimeIndex#sanityCheck} and matches its segment entry by entry (position, wall time, duration, key
 * flag, sample count), and that consecutive segments do not overlap. Each fault is one {@link StorageFault}; a clean
 * storage gives an empty list. With several volumes, also deletion marks left behind and overlaps across volumes
 * ({@link #check(List)}). Read-only; stateless.
 */
public final class StorageChecker {

    private StorageChecker() {
    }

    public static List<StorageFault> check(Path storage) throws IOException {
        return check(List.of(storage));
    }

    /**
     * Checks several volumes ({@link StorageVolumes}): each volume's files as above, plus deletion marks left
     * behind ({@link DeletionMark}: a deletion a crash interrupted and no start-up has finished yet; the files of
     * the segments it lists are not checked: the next start-up removes them), and the
     * no-overlap rule over each stream's segments merged across volumes.
     */
    public static List<StorageFault> check(List<Path> volumes) throws IOException {
        List<StorageFault> faults = new ArrayList<>();
        Map<StreamKey, List<Path>> dirs = new TreeMap<>(Comparator.comparing(StreamKey::toString));
        Set<Path> beingDeleted = new HashSet<>();
        for (Path storage : volumes) {
            for (Path mark : StorageLayout.deletionMarks(storage)) {
                faults.add(new StorageFault("-", storage.relativize(mark).toString(),
                        "deletion mark left behind: a destruction was interrupted (the next start-up finishes it)"));
                DeletionMark m;
                try {
                    m = DeletionMark.read(mark);
                } catch (IOException e) {
                    faults.add(new StorageFault("-", storage.relativize(mark).toString(), e.getMessage()));
                    continue;
                }
                if (m != null) {
                    Path dir = StorageLayout.streamDir(storage, m.key());
                    for (DeletionMark.Segment seg : m.segments()) {
                        beingDeleted.add(dir.resolve(seg.baseName() + StorageLayout.SEGMENT_SUFFIX));
                    }
                }
            }
            for (Map.Entry<StreamKey, Path> s : StorageLayout.streams(storage).entrySet()) {
                dirs.computeIfAbsent(s.getKey(), k -> new ArrayList<>()).add(s.getValue());
            }
        }
        for (Map.Entry<StreamKey, List<Path>> s : dirs.entrySet()) {
            checkStream(s.getKey().toString(), s.getValue(), beingDeleted, faults);
        }
        return faults;
    }

    /** Files of segments listed in a deletion mark are the mark's business: reported once, as the mark. */
    private static void checkStream(String stream, List<Path> dirs, Set<Path> beingDeleted, List<StorageFault> faults)
            throws IOException {
        List<Path> mp4s = new ArrayList<>();
        for (Path dir : dirs) {
            List<Path> here = StorageLayout.segments(dir);
            here.removeAll(beingDeleted);
            mp4s.addAll(here);
            Set<Path> mp4Set = new HashSet<>(here);
            for (Path idx : StorageLayout.indexes(dir)) {
                if (!mp4Set.contains(StorageLayout.segmentOf(idx)) && !beingDeleted.contains(StorageLayout.segmentOf(idx))) {
                    faults.add(new StorageFault(stream, name(idx), "index without its segment"));
                }
            }
        }
        mp4s.sort(Comparator.comparing(StorageChecker::name));
        IndexEntry previousLast = null;
        Path previous = null;
        for (Path mp4 : mp4s) {
            Path idx = StorageLayout.indexOf(mp4);
            SegmentScan scan;
            try (FileChannel ch = FileChannel.open(mp4, StandardOpenOption.READ)) {
                scan = SegmentScanner.scan(ch);
            }
            if (!scan.clean()) {
                faults.add(new StorageFault(stream, name(mp4), "does not parse to its end (valid up to "
                        + scan.validEnd() + " of " + scan.fileLength() + " bytes): " + scan.problem()));
            }
            if (scan.format() != null && scan.fragments().isEmpty()) {
                faults.add(new StorageFault(stream, name(mp4), "holds no fragment"));
            }
            if (!Files.exists(idx)) {
                faults.add(new StorageFault(stream, name(mp4), "segment without its index"));
                continue;
            }
            List<IndexEntry> entries;
            try {
                entries = TimeIndex.read(idx);
                TimeIndex.sanityCheck(entries, scan.fileLength());
            } catch (CorruptIndexException e) {
                faults.add(new StorageFault(stream, name(idx), e.getMessage()));
                continue;
            }
            compare(stream, idx, entries, scan.fragments(), faults);
            if (!entries.isEmpty()) {
                IndexEntry first = entries.get(0);
                if (previousLast != null && first.wallMicros() < previousLast.endMicros()) {
                    faults.add(new StorageFault(stream, name(mp4), "starts at " + first.wallStart()
                            + ", before the end of " + name(previous) + " at "
                            + TimeIndex.instant(previousLast.endMicros())));
                }
                previousLast = entries.get(entries.size() - 1);
                previous = mp4;
            }
        }
    }

    private static void compare(String stream, Path idx, List<IndexEntry> entries, List<FragmentInfo> fragments,
                                List<StorageFault> faults) {
        if (entries.size() != fragments.size()) {
            faults.add(new StorageFault(stream, name(idx), entries.size() + " entries for " + fragments.size()
                    + " fragments"));
        }
        for (int i = 0; i < Math.min(entries.size(), fragments.size()); i++) {
            IndexEntry expected = TimeIndex.entryOf(fragments.get(i));
            if (!entries.get(i).equals(expected)) {
                faults.add(new StorageFault(stream, name(idx), "entry " + i + " is " + entries.get(i)
                        + " but the fragment says " + expected));
            }
        }
    }

    private static String name(Path p) {
        return p.getFileName().toString();
    }
}
