/**
 * The recorder's storage: segments and their time indexes on disk ({@link org.vigie.recorder.storage.StorageLayout},
 * {@link org.vigie.recorder.storage.TimeIndex}), the crash-safe writer
 * ({@link org.vigie.recorder.storage.SegmentWriter}) driven per stream by a writer thread, start-up recovery
 * ({@link org.vigie.recorder.storage.StorageRecovery}), the in-memory {@link org.vigie.recorder.storage.Catalog}, the
 * {@link org.vigie.recorder.storage.ArchiveReader} and the offline {@link org.vigie.recorder.storage.StorageChecker}.
 * Several volumes are merged through {@link org.vigie.recorder.storage.StorageVolumes}; segments are destroyed only
 * through the crash-safe {@link org.vigie.recorder.storage.SegmentDeleter} (deletion marks, finished at start-up).
 * The entry point for the server is {@link org.vigie.recorder.storage.Recorder}.
 */
package org.vigie.recorder.storage;
