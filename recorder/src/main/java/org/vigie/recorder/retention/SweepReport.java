package org.vigie.recorder.retention;

import java.util.List;

/**
 * What one run of the {@link RetentionSweeper} did.
 *
 * @param retentionSegments segments destroyed because they were older than their camera's retention
 * @param quotaSegments     segments destroyed to bring a volume back above its target free space
 * @param bytesFreed        segment and index bytes destroyed
 * @param heldKept          segments due for destruction but kept because a legal hold covers them
 * @param budgetExhausted   the run stopped at its bound: more is due (the next run continues)
 * @param failures          batches whose deletion failed (retried by a later run)
 * @param volumes           the volumes measured after the run
 */
public record SweepReport(int retentionSegments, int quotaSegments, long bytesFreed, int heldKept,
                          boolean budgetExhausted, int failures, List<VolumeStatus> volumes) {

    public SweepReport {
        volumes = List.copyOf(volumes);
    }
}
