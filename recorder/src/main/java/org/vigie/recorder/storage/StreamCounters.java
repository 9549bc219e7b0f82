package org.vigie.recorder.storage;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live counters of one stream: written by its writer thread (and, for drops, by the ingest thread), read by any
 * thread through {@link #snapshot(int)}.
 */
final class StreamCounters {

    final AtomicLong framesWritten = new AtomicLong();
    final AtomicLong bytesWritten = new AtomicLong();
    final AtomicLong fragments = new AtomicLong();
    final AtomicLong segments = new AtomicLong();
    final AtomicLong framesDropped = new AtomicLong();
    final AtomicLong framesSkipped = new AtomicLong();
    final AtomicLong writeErrors = new AtomicLong();
    final AtomicLong lastWriteMicros = new AtomicLong();
    final AtomicLong lastFsyncMicros = new AtomicLong();
    final AtomicReference<Instant> lastWrite = new AtomicReference<>();
    final AtomicLong overloads = new AtomicLong();
    final AtomicLong lastOverloadNanos = new AtomicLong();

    StreamStats snapshot(int queued, long queuedBytes, boolean overloaded) {
        return new StreamStats(framesWritten.get(), bytesWritten.get(), fragments.get(), segments.get(),
                framesDropped.get(), framesSkipped.get(), writeErrors.get(), lastWriteMicros.get(),
                lastFsyncMicros.get(), lastWrite.get(), queued, queuedBytes, overloads.get(), overloaded);
    }
}
