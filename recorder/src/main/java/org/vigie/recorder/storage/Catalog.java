package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.vigie.media.StreamKey;

/**
 * The in-memory list of segments of every stream, sorted by start time: loaded at start-up from the {@code .idx}
 * files (first entry = start, last entry = end) and updated by the writers as fragments are published.
 *
 * <p>Thread-safety: any number of readers run concurrently with the writers; each stream has one writer thread
 * (its {@link StreamRecorder}). A reader sees each {@link SegmentInfo} either before or after a publication, never
 * half of it. Memory: one small record per segment (about 150 bytes), e.g. 1,440 per stream per day at 60 s.
 */
public final class Catalog {

    private final ConcurrentHashMap<StreamKey, ConcurrentSkipListMap<Long, SegmentInfo>> streams =
            new ConcurrentHashMap<>();

    /** Loads every stream's complete segments (those with a non-empty index) from the storage root. */
    public static Catalog load(Path storage) throws IOException {
        return load(List.of(storage));
    }

    /** Loads and merges the segments of several volumes ({@link StorageVolumes}). */
    public static Catalog load(List<Path> volumes) throws IOException {
        Catalog c = new Catalog();
        for (Path storage : volumes) {
            c.loadVolume(storage);
        }
        return c;
    }

    private void loadVolume(Path storage) throws IOException {
        Catalog c = this;
        for (Map.Entry<StreamKey, Path> s : StorageLayout.streams(storage).entrySet()) {
            for (Path mp4 : StorageLayout.segments(s.getValue())) {
                Path idx = StorageLayout.indexOf(mp4);
                if (!Files.exists(idx)) {
                    continue;
                }
                List<IndexEntry> entries = TimeIndex.read(idx);
                if (entries.isEmpty()) {
                    continue;
                }
                IndexEntry last = entries.get(entries.size() - 1);
                c.publish(s.getKey(), new SegmentInfo(mp4, entries.get(0).wallMicros(), last.endMicros(),
                        entries.size(), Files.size(mp4)));
            }
        }
    }

    /** Adds or replaces (same start) a segment of a stream. Called by the stream's writer thread only. */
    public void publish(StreamKey key, SegmentInfo segment) {
        streams.computeIfAbsent(key, k -> new ConcurrentSkipListMap<>()).put(segment.startMicros(), segment);
    }

    /**
     * Removes a segment (its deletion has begun: {@link SegmentDeleter}); readers stop seeing it. Called by the
     * deleting thread only, never for a segment being written.
     *
     * @return whether it was there
     */
    public boolean remove(StreamKey key, long startMicros) {
        ConcurrentSkipListMap<Long, SegmentInfo> m = streams.get(key);
        return m != null && m.remove(startMicros) != null;
    }

    /**
     * A live, weakly consistent view of the stream's segments, oldest first: iterating it copies nothing (the
     * sweeper walks the oldest segments of thousands of streams) and never throws on concurrent changes.
     */
    public Collection<SegmentInfo> ascending(StreamKey key) {
        ConcurrentSkipListMap<Long, SegmentInfo> m = streams.get(key);
        return m == null ? List.of() : Collections.unmodifiableCollection(m.values());
    }

    public Set<StreamKey> streams() {
        return Set.copyOf(streams.keySet());
    }

    /** A snapshot of the stream's segments, by start. */
    public List<SegmentInfo> segments(StreamKey key) {
        NavigableMap<Long, SegmentInfo> m = streams.get(key);
        return m == null ? List.of() : new ArrayList<>(m.values());
    }

    public Optional<SegmentInfo> last(StreamKey key) {
        ConcurrentSkipListMap<Long, SegmentInfo> m = streams.get(key);
        Map.Entry<Long, SegmentInfo> e = m == null ? null : m.lastEntry();
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }

    /** The latest segment starting at or before {@code micros}. */
    public Optional<SegmentInfo> floor(StreamKey key, long micros) {
        ConcurrentSkipListMap<Long, SegmentInfo> m = streams.get(key);
        Map.Entry<Long, SegmentInfo> e = m == null ? null : m.floorEntry(micros);
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }

    /** The first segment starting strictly after {@code micros}. */
    public Optional<SegmentInfo> higher(StreamKey key, long micros) {
        ConcurrentSkipListMap<Long, SegmentInfo> m = streams.get(key);
        Map.Entry<Long, SegmentInfo> e = m == null ? null : m.higherEntry(micros);
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }

    /** The current state of the segment starting at {@code startMicros}. */
    public Optional<SegmentInfo> get(StreamKey key, long startMicros) {
        ConcurrentSkipListMap<Long, SegmentInfo> m = streams.get(key);
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(startMicros));
    }

    /**
     * The segments that may intersect {@code [fromMicros, toMicros)}, by start: those starting before
     * {@code toMicros}, from the last one starting at or before {@code fromMicros} on (segments never overlap).
     */
    public List<SegmentInfo> overlapping(StreamKey key, long fromMicros, long toMicros) {
        ConcurrentSkipListMap<Long, SegmentInfo> m = streams.get(key);
        if (m == null) {
            return List.of();
        }
        Long first = m.floorKey(fromMicros);
        NavigableMap<Long, SegmentInfo> range = first == null ? m.headMap(toMicros, false)
                : m.subMap(first, true, Math.max(first, toMicros), false);
        return new ArrayList<>(range.values());
    }

    /** Segments of the stream starting at or before {@code micros}, latest first. */
    public List<SegmentInfo> atOrBeforeDescending(StreamKey key, long micros) {
        ConcurrentSkipListMap<Long, SegmentInfo> m = streams.get(key);
        return m == null ? List.of() : new ArrayList<>(m.headMap(micros, true).descendingMap().values());
    }
}
