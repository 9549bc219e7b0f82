package org.vigie.recorder.retention;

import java.nio.file.Path;

/**
 * A volume's room when last measured.
 *
 * @param usableBytes -1 when the volume could not be measured (unmounted, I/O error)
 * @param targetFreeBytes the free space to keep
 */
public record VolumeStatus(Path path, long usableBytes, long totalBytes, long targetFreeBytes) {

    /** Room for new segments before the target is reached (negative: the sweeper must free this much). */
    public long roomBytes() {
        return usableBytes < 0 ? Long.MIN_VALUE / 2 : usableBytes - targetFreeBytes;
    }

    public boolean belowTarget() {
        return usableBytes >= 0 && usableBytes < targetFreeBytes;
    }
}
