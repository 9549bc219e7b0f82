package org.vigie.recorder.retention;

import static org.vigie.recorder.testing.SyntheticStream.SECOND;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.recorder.storage.StreamStats;
import org.vigie.recorder.testing.SyntheticStream;

/**
 * Feeds synthetic sessions (5 fps, a key frame every second) into a real {@link Recorder} and waits until its
 * writer threads have written them: the recorder is asynchronous, so the wait polls with a deadline.
 */
final class Cameras {

    static final int FPS = 5;

    private final Recorder recorder;
    private final Map<StreamKey, Long> fed = new HashMap<>();
    private long session;

    Cameras(Recorder recorder) {
        this.recorder = recorder;
    }

    /** Records one session of {@code seconds} starting at {@code start}, and returns once it is on disk. */
    void session(StreamKey key, Instant start, int seconds) {
        feed(key, start, seconds);
        await(key);
    }

    /** Feeds one session without waiting. */
    void feed(StreamKey key, Instant start, int seconds) {
        FrameSink sink = recorder.sink(key);
        long id = ++session;
        SyntheticStream g = new SyntheticStream(SyntheticStream.h264(320, 240), id,
                start.getEpochSecond() * SECOND + start.getNano() / 1000, FPS, FPS);
        int frames = seconds * FPS;
        for (int i = 0; i < frames; i++) {
            sink.onFrame(g.next());
        }
        sink.onSessionEnd(id);
        fed.merge(key, (long) frames, Long::sum);
    }

    long fed(StreamKey key) {
        return fed.getOrDefault(key, 0L);
    }

    /** Waits until every frame fed to the stream is written (or dropped) and its segment is closed. */
    void await(StreamKey key) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            StreamStats s = recorder.stats(key).orElseThrow();
            boolean closed = recorder.catalog().last(key).map(SegmentInfo::segment)
                    .map(p -> !recorder.openSegments().isOpen(p)).orElse(true);
            if (s.framesWritten() + s.framesDropped() + s.framesSkipped() >= fed(key) && s.queued() == 0 && closed) {
                return;
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(key + ": frames not written in time: " + recorder.stats(key));
    }
}
