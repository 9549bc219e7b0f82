package org.vigie.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code storage} section: where and how segments are written.
 *
 * @param fsyncEachFragment when true (the default) every fragment is fsynced before it is indexed, so a power
 *                          loss loses at most the open fragment; when false only segment closes are fsynced
 */
public record StorageConfig(Path path, Duration segmentDuration, Duration fragmentDuration, boolean fsyncEachFragment,
                            int writerThreads, int queueFrames) {

    static StorageConfig read(ConfigNode n) throws ConfigException {
        Path path = Path.of(n.string("path", "/var/lib/vms/recordings"));
        Duration segment = n.duration("segment-duration", Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofHours(1));
        Duration fragment = n.duration("fragment-duration", Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(30));
        if (fragment.compareTo(segment) > 0) {
            throw new ConfigException(n.keyPath("fragment-duration"), "must not exceed segment-duration ("
                    + Durations.format(segment) + ")");
        }
        String fsync = n.string("fsync", "fragment");
        if (!fsync.equals("fragment") && !fsync.equals("segment")) {
            throw new ConfigException(n.keyPath("fsync"), "must be 'fragment' or 'segment', got '" + fsync + "'");
        }
        StorageConfig c = new StorageConfig(path, segment, fragment, fsync.equals("fragment"),
                n.integer("writer-threads", 2, 1, 64),
                n.integer("queue-frames", 256, 16, 100_000));
        n.finish();
        return c;
    }
}
