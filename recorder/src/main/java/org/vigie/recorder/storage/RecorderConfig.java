package org.vigie.recorder.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The recorder's settings, validated at construction.
 *
 * @param storage           root folder; segments go to {@code <storage>/<cameraId>/<stream>/}
 * @param segmentDuration   a segment rolls on the first key frame at or after this much media (default 60 s)
 * @param fragmentDuration  a fragment closes on the first key frame at or after this much media, or
 *                          unconditionally beyond twice it (default 2 s); it bounds what a crash loses
 * @param fsync             {@link FsyncPolicy#FRAGMENT} by default
 * @param writerThreads     threads writing to disk; each stream is pinned to one (default 2)
 * @param queueCapacity     frames buffered per stream between ingest and its writer thread (default 256)
 */
public record RecorderConfig(Path storage, Duration segmentDuration, Duration fragmentDuration, FsyncPolicy fsync,
                             int writerThreads, int queueCapacity) {

    public static final Duration DEFAULT_SEGMENT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_FRAGMENT = Duration.ofSeconds(2);

    public RecorderConfig {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(segmentDuration, "segmentDuration");
        Objects.requireNonNull(fragmentDuration, "fragmentDuration");
        Objects.requireNonNull(fsync, "fsync");
        if (fragmentDuration.compareTo(Duration.ofMillis(100)) < 0 || fragmentDuration.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("fragment duration must be within [100 ms, 60 s]: " + fragmentDuration);
        }
        if (segmentDuration.compareTo(fragmentDuration) < 0 || segmentDuration.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("segment duration must be within [fragment duration, 1 h]: "
                    + segmentDuration);
        }
        if (writerThreads < 1 || writerThreads > 64) {
            throw new IllegalArgumentException("writer threads must be within [1, 64]: " + writerThreads);
        }
        if (queueCapacity < 2 || queueCapacity > 100_000) {
            throw new IllegalArgumentException("queue capacity must be within [2, 100000]: " + queueCapacity);
        }
    }

    /** The defaults for a storage root. */
    public static RecorderConfig defaults(Path storage) {
        return new RecorderConfig(storage, DEFAULT_SEGMENT, DEFAULT_FRAGMENT, FsyncPolicy.FRAGMENT, 2, 256);
    }

    public RecorderConfig withDurations(Duration segment, Duration fragment) {
        return new RecorderConfig(storage, segment, fragment, fsync, writerThreads, queueCapacity);
    }

    public RecorderConfig withFsync(FsyncPolicy policy) {
        return new RecorderConfig(storage, segmentDuration, fragmentDuration, policy, writerThreads, queueCapacity);
    }

    public RecorderConfig withQueue(int threads, int capacity) {
        return new RecorderConfig(storage, segmentDuration, fragmentDuration, fsync, threads, capacity);
    }

    long segmentTicks() {
        return segmentDuration.toNanos() * 9 / 100_000;
    }

    long fragmentTicks() {
        return fragmentDuration.toNanos() * 9 / 100_000;
    }
}
