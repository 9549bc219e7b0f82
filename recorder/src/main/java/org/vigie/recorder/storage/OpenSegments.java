package org.vigie.recorder.storage;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The segments being written right now (at most one per stream). A writer adds its segment <em>before</em> creating
 * the file and removes it only once the file is closed, and a segment reaches the {@link Catalog} only after it was
 * added here: so whoever sees a segment in the catalog and then finds it absent here knows it is closed for good
 * (a closed segment is never reopened). {@link SegmentDeleter} relies on this never to delete an open segment.
 *
 * <p>Thread-safe.
 */
public final class OpenSegments {

    private final Set<Path> open = ConcurrentHashMap.newKeySet();

    void opening(Path segment) {
        open.add(segment);
    }

    void closed(Path segment) {
        open.remove(segment);
    }

    public boolean isOpen(Path segment) {
        return open.contains(segment);
    }

    public int size() {
        return open.size();
    }
}
