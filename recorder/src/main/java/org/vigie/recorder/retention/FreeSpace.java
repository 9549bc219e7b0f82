package org.vigie.recorder.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures a volume's room. Production reads the file system ({@link #FILE_STORE}); tests inject a simulated small
 * volume. Implementations are thread-safe.
 */
public interface FreeSpace {

    /** What the file system reports through {@link java.nio.file.FileStore}. */
    FreeSpace FILE_STORE = new FreeSpace() {
        @Override
        public long usableBytes(Path volume) throws IOException {
            return Files.getFileStore(volume).getUsableSpace();
        }

        @Override
        public long totalBytes(Path volume) throws IOException {
            return Files.getFileStore(volume).getTotalSpace();
        }
    };

    /** Bytes this process may still write on the volume. */
    long usableBytes(Path volume) throws IOException;

    /** The volume's size. */
    long totalBytes(Path volume) throws IOException;
}
