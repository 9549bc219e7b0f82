package org.vigie.recorder.storage;

import java.nio.file.Path;
import java.util.List;

/**
 * What start-up recovery did, for the server's logs and metrics.
 *
 * @param skipped     true when the clean-shutdown marker was present, so nothing was scanned
 * @param segments    one line per segment examined (tail segments, segments whose index was missing)
 * @param orphanIndexesDeleted {@code .idx} files deleted because their {@code .mp4} was gone
 */
public record RecoveryReport(boolean skipped, List<SegmentRecovery> segments, List<Path> orphanIndexesDeleted) {

    public RecoveryReport {
        segments = List.copyOf(segments);
        orphanIndexesDeleted = List.copyOf(orphanIndexesDeleted);
    }

    /**
     * @param fragmentsKept  complete fragments kept (and indexed)
     * @param bytesTruncated bytes cut from the end of the file (a partial or corrupt fragment)
     * @param deleted        the segment held no complete fragment and was deleted with its index
     * @param problem        why the scan stopped early, or null
     */
    public record SegmentRecovery(Path segment, int fragmentsKept, long bytesTruncated, boolean deleted,
                                  String problem) {
    }

    public long bytesTruncated() {
        return segments.stream().mapToLong(SegmentRecovery::bytesTruncated).sum();
    }

    public int fragmentsKept() {
        return segments.stream().mapToInt(SegmentRecovery::fragmentsKept).sum();
    }
}
