package org.vigie.recorder.storage;

/** One fault found by {@link StorageChecker}: which stream, which file, what is wrong. */
public record StorageFault(String stream, String file, String problem) {

    @Override
    public String toString() {
        return stream + " " + file + ": " + problem;
    }
}
