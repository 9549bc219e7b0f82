package org.vigie.recorder.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.vigie.media.Frame;
import org.vigie.media.StreamKey;

/** Drives a {@link StreamRecorder} synchronously on the test thread, over a real storage folder. */
final class StreamFixture {

    static final StreamKey KEY = StreamKey.main("cam-1");
    static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));

    final RecorderConfig config;
    final Catalog catalog = new Catalog();
    final StreamCounters counters = new StreamCounters();
    final StreamRecorder recorder;

    StreamFixture(Path storage, Duration segment, Duration fragment) {
        config = RecorderConfig.defaults(storage).withDurations(segment, fragment);
        recorder = new StreamRecorder(KEY, config, catalog, CLOCK, counters);
    }

    StreamFixture(Path storage) {
        this(storage, Duration.ofSeconds(60), Duration.ofSeconds(2));
    }

    StreamFixture feed(List<Frame> frames) {
        frames.forEach(f -> recorder.onFrame(f, false));
        return this;
    }

    StreamFixture end() {
        recorder.onSessionEnd();
        return this;
    }

    List<SegmentInfo> segments() {
        return catalog.segments(KEY);
    }

    List<IndexEntry> index(int segment) throws java.io.IOException {
        return TimeIndex.read(segments().get(segment).index());
    }

    Path streamDir() {
        return StorageLayout.streamDir(config.storage(), KEY);
    }
}
