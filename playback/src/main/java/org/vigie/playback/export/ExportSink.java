package org.vigie.playback.export;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where {@link Mp4Export#write} puts an export's bytes, in order: small rewritten headers from memory and the
 * sample payloads as ranges of segment files (which an HTTP response sends zero-copy).
 */
public interface ExportSink {

    /** Bytes built in memory (the sink may keep the array). */
    void bytes(byte[] b, int offset, int length) throws IOException;

    /** {@code length} bytes of {@code file} from {@code position}. */
    void file(Path file, long position, long length) throws IOException;
}
