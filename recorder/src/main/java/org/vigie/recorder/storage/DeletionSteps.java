package org.vigie.recorder.storage;

import java.io.IOException;

/**
 * The points of {@link SegmentDeleter}'s crash-safe protocol, told as each is passed: what a crash right there must
 * leave recoverable. DeletionCrashTest stops its child process at one exact point and kills it with SIGKILL there,
 * instead of killing it after a timer and hoping the kill landed mid-sweep. Called on the deleting thread; a
 * listener that blocks holds up the deletion (that is what the test wants, and nothing else should).
 */
@FunctionalInterface
public interface DeletionSteps {

    /** None: what the server uses. */
    DeletionSteps NONE = (step, mark, segment) -> {
    };

    /** The protocol's points, in order (the numbers are {@link SegmentDeleter}'s steps). */
    enum Step {
        /** Step 1 done: the mark is durable, nothing removed yet. */
        MARKED,
        /** Step 2 done: the catalog no longer lists the batch; every file is still there. */
        UNLISTED,
        /** Step 3, one segment's {@code .mp4} unlinked, its {@code .idx} not yet. */
        SEGMENT_UNLINKED,
        /** Step 3, one segment's {@code .idx} unlinked. */
        INDEX_UNLINKED,
        /** Step 4 done: the unlinks are durable. */
        FOLDER_SYNCED,
        /** Step 5 done: the listener (the register of recordings) has the batch. */
        LISTENER_TOLD,
        /** Step 6 done: the mark is gone, the batch is finished. */
        MARK_DELETED
    }

    /**
     * @param segment for {@link Step#SEGMENT_UNLINKED} and {@link Step#INDEX_UNLINKED} the segment's position in the
     *                mark (0-based), else -1
     */
    void passed(Step step, DeletionMark mark, int segment) throws IOException;
}
