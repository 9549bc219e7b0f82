package org.vigie.recorder.storage;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What the catalog knows of one segment. Immutable: the writer publishes a new instance after each fragment.
 *
 * @param segment        the {@code .mp4} file
 * @param startMicros    UTC µs of its first fragment
 * @param endMicros      end of its last published fragment (start + duration)
 * @param fragmentCount  published fragments (index entries a reader may use)
 * @param bytes          segment length up to the end of the last published fragment: readers never read beyond
 */
public record SegmentInfo(Path segment, long startMicros, long endMicros, int fragmentCount, long bytes) {

    public Path index() {
        return StorageLayout.indexOf(segment);
    }

    public Instant start() {
        return TimeIndex.instant(startMicros);
    }

    public Instant end() {
        return TimeIndex.instant(endMicros);
    }
}
