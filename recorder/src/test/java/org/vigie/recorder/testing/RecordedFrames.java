package org.vigie.recorder.testing;

import java.io.IOException;
import java.time.Instant;
import org.vigie.media.Frame;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.FrameCursor;

/** Counts what was really recorded, read back from the archive (the tests' and the load harness's measure). */
public final class RecordedFrames {

    private RecordedFrames() {
    }

    /** Frames of a stream whose wall time lies in {@code [from, to)}, read back from the recordings. */
    public static long count(ArchiveReader reader, StreamKey key, Instant from, Instant to) throws IOException {
        long n = 0;
        long fromMicros = from.toEpochMilli() * 1000;
        long toMicros = to.toEpochMilli() * 1000;
        try (FrameCursor c = reader.framesFrom(key, from)) {
            while (c.hasNext()) {
                Frame f = c.next();
                if (f.wallMicros() >= toMicros) break;
                if (f.wallMicros() >= fromMicros) n++;
            }
        }
        return n;
    }
}
