package org.vigie.recorder.storage;

import java.nio.file.Path;
import java.util.List;
import org.vigie.media.StreamKey;

/**
 * The storage volumes (disks or mount points) segments are written to, each laid out as {@link StorageLayout}
 * says; the {@link Catalog} merges them. A stream's segments may be spread over several volumes (each new segment
 * goes where {@link #forNewSegment} says), but its segments never overlap in time whatever their volume.
 *
 * <p>Implementations are thread-safe: {@link #forNewSegment} is called by every writer thread.
 */
public interface StorageVolumes {

    /** Every volume root, in configuration order; never empty, no duplicates. The first one is the primary. */
    List<Path> roots();

    /** The volume root where the stream's next segment is created. */
    Path forNewSegment(StreamKey key);

    /** One volume, always chosen. */
    static StorageVolumes single(Path root) {
        List<Path> roots = List.of(root);
        return new StorageVolumes() {
            @Override
            public List<Path> roots() {
                return roots;
            }

            @Override
            public Path forNewSegment(StreamKey key) {
                return root;
            }
        };
    }

    /** The root among {@code roots} holding {@code segment}, or null. */
    static Path rootOf(List<Path> roots, Path segment) {
        for (Path r : roots) {
            if (segment.startsWith(r)) {
                return r;
            }
        }
        return null;
    }
}
