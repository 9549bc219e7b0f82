package org.vigie.recorder.retention;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One storage volume (a disk or mount point) and the free space to keep on it: under
 * {@link #targetFreeBytes(long)} the {@link RetentionSweeper} destroys the oldest unheld segments of the volume.
 *
 * @param minFreeBytes   absolute target, bytes (0 for none)
 * @param minFreePercent target as a percentage of the volume's size (0 for none); the larger target wins
 */
public record StorageVolume(Path path, long minFreeBytes, int minFreePercent) {

    public StorageVolume {
        Objects.requireNonNull(path, "path");
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("min free bytes must be >= 0: " + minFreeBytes);
        }
        if (minFreePercent < 0 || minFreePercent > 90) {
            throw new IllegalArgumentException("min free percent must be within [0, 90]: " + minFreePercent);
        }
    }

    /** The free space to keep on a volume of {@code totalBytes}. */
    public long targetFreeBytes(long totalBytes) {
        return Math.max(minFreeBytes, totalBytes / 100 * minFreePercent);
    }
}
