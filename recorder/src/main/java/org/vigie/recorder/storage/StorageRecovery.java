package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.recorder.mp4.FragmentInfo;
import org.vigie.recorder.mp4.SegmentScan;
import org.vigie.recorder.mp4.SegmentScanner;

/**
 * Start-up recovery after an unclean stop (no clean-shutdown marker), like Kafka's {@code LogSegment.recover}:
 * for every stream folder,
 * <ol>
 *   <li>delete each {@code .idx} whose {@code .mp4} is gone;</li>
 *   <li>scan the tail segment fragment by fragment ({@link SegmentScanner}: the {@code moof} parses, the
 *       {@code trun} sizes sum to the {@code mdat} payload, the {@code mdat} is complete), truncate it after the
 *       last complete fragment and rebuild its index from the fragments; a tail segment with no complete fragment
 *       is deleted with its index, and the previous segment is then examined as the new tail;</li>
 *   <li>rebuild the index of any other segment that has none.</li>
 * </ol>
 * Runs before any writer starts; single-threaded.
 */
public final class StorageRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(StorageRecovery.class);

    private StorageRecovery() {
    }

    public static RecoveryReport recover(Path storage) throws IOException {
        List<RecoveryReport.SegmentRecovery> segments = new ArrayList<>();
        List<Path> orphans = new ArrayList<>();
        for (Path dir : StorageLayout.streams(storage).values()) {
            recoverStream(dir, segments, orphans);
        }
        RecoveryReport report = new RecoveryReport(false, segments, orphans);
        if (!segments.isEmpty() || !orphans.isEmpty()) {
            LOG.info("recovery: {} segment(s) examined, {} fragment(s) kept, {} byte(s) truncated, {} orphan index(es)",
                    segments.size(), report.fragmentsKept(), report.bytesTruncated(), orphans.size());
        }
        return report;
    }

    private static void recoverStream(Path dir, List<RecoveryReport.SegmentRecovery> out, List<Path> orphans)
            throws IOException {
        Set<Path> mp4s = new HashSet<>(StorageLayout.segments(dir));
        boolean changed = false;
        for (Path idx : StorageLayout.indexes(dir)) {
            if (!mp4s.contains(StorageLayout.segmentOf(idx))) {
                Files.delete(idx);
                orphans.add(idx);
                changed = true;
            }
        }
        List<Path> segments = StorageLayout.segments(dir);
        int tail = segments.size() - 1;
        while (tail >= 0) {
            RecoveryReport.SegmentRecovery r = recoverSegment(segments.get(tail), true);
            out.add(r);
            changed = true;
            if (!r.deleted()) {
                break;
            }
            tail--;
        }
        for (int i = 0; i < tail; i++) {
            Path mp4 = segments.get(i);
            if (!Files.exists(StorageLayout.indexOf(mp4))) {
                out.add(recoverSegment(mp4, false));
                changed = true;
            }
        }
        if (changed) {
            StorageLayout.fsyncDirectory(dir);
        }
    }

    /** Scans one segment, truncates it after its last complete fragment (if {@code truncate}), rebuilds its index. */
    static RecoveryReport.SegmentRecovery recoverSegment(Path mp4, boolean truncate) throws IOException {
        Path idx = StorageLayout.indexOf(mp4);
        SegmentScan scan;
        long cut = 0;
        try (FileChannel ch = FileChannel.open(mp4, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            scan = SegmentScanner.scan(ch);
            if (!scan.fragments().isEmpty() && truncate && scan.validEnd() < scan.fileLength()) {
                cut = scan.fileLength() - scan.validEnd();
                ch.truncate(scan.validEnd());
                ch.force(true);
                LOG.warn("recovery: truncated {} bytes from {} ({})", cut, mp4, scan.problem());
            }
        }
        if (scan.fragments().isEmpty()) {
            Files.deleteIfExists(idx);
            Files.delete(mp4);
            LOG.warn("recovery: deleted {} (no complete fragment: {})", mp4, scan.problem());
            return new RecoveryReport.SegmentRecovery(mp4, 0, scan.fileLength(), true, scan.problem());
        }
        List<IndexEntry> entries = new ArrayList<>(scan.fragments().size());
        for (FragmentInfo f : scan.fragments()) {
            entries.add(TimeIndex.entryOf(f));
        }
        TimeIndex.rewrite(idx, entries);
        return new RecoveryReport.SegmentRecovery(mp4, entries.size(), cut, false, scan.problem());
    }
}
