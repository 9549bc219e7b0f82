package org.vigie.recorder.storage;

import java.io.IOException;

/**
 * Told of each batch of segments destroyed, after the files are gone and before the deletion mark is removed (so
 * a crash in between tells it again at the next start-up: the listener must be idempotent by
 * {@link DeletionMark#id()}). The register of recordings is the listener in production.
 */
@FunctionalInterface
public interface DeletionListener {

    DeletionListener NONE = mark -> { };

    /** Must be durable when it returns; throwing leaves the mark in place (retried at start-up). */
    void destroyed(DeletionMark mark) throws IOException;
}
