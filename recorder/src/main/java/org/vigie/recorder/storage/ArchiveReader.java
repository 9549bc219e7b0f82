package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vigie.media.StreamKey;
import org.vigie.recorder.mp4.SegmentScanner;

/**
 * Reads the archive through the {@link Catalog}: recorded spans and gaps, key-frame lookup, byte ranges of
 * fragments and init segments (for zero-copy playback and export) and a {@link FrameCursor} over frames. Reads only
 * what the catalog has published, so it is safe on the segment being written. Thread-safe (stateless over the
 * catalog); does blocking file I/O: never call it on an event loop.
 */
public final class ArchiveReader {

    /** Segments closer than this are one span (a camera reconnecting in under a second is not a gap). */
    public static final Duration DEFAULT_MERGE_TOLERANCE = Duration.ofSeconds(1);

    private final Catalog catalog;
    private final long toleranceMicros;

    public ArchiveReader(Catalog catalog) {
        this(catalog, DEFAULT_MERGE_TOLERANCE);
    }

    public ArchiveReader(Catalog catalog, Duration mergeTolerance) {
        this.catalog = catalog;
        this.toleranceMicros = mergeTolerance.toNanos() / 1000;
    }

    /**
     * The recorded spans intersecting {@code [from, to)}, clipped to it; consecutive segments are merged when the
     * next starts within the merge tolerance after the previous ends.
     */
    public List<TimeSpan> spans(StreamKey key, Instant from, Instant to) {
        long lo = TimeIndex.micros(from);
        long hi = TimeIndex.micros(to);
        List<long[]> merged = new ArrayList<>();
        for (SegmentInfo s : catalog.overlapping(key, lo, hi)) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && s.startMicros() <= last[1] + toleranceMicros) {
                last[1] = Math.max(last[1], s.endMicros());
            } else {
                merged.add(new long[] {s.startMicros(), s.endMicros()});
            }
        }
        List<TimeSpan> out = new ArrayList<>();
        for (long[] m : merged) {
            long a = Math.max(m[0], lo);
            long b = Math.min(m[1], hi);
            if (a < b) {
                out.add(new TimeSpan(TimeIndex.instant(a), TimeIndex.instant(b)));
            }
        }
        return out;
    }

    /** The complement of {@link #spans} within {@code [from, to)}. */
    public List<TimeSpan> gaps(StreamKey key, Instant from, Instant to) {
        List<TimeSpan> out = new ArrayList<>();
        Instant cursor = from;
        for (TimeSpan s : spans(key, from, to)) {
            if (s.start().isAfter(cursor)) {
                out.add(new TimeSpan(cursor, s.start()));
            }
            cursor = s.end();
        }
        if (cursor.isBefore(to)) {
            out.add(new TimeSpan(cursor, to));
        }
        return out;
    }

    /** The latest fragment starting with a key frame at or before {@code t}. */
    public Optional<FragmentRef> keyFrameAtOrBefore(StreamKey key, Instant t) throws IOException {
        long micros = TimeIndex.micros(t);
        for (SegmentInfo s : catalog.atOrBeforeDescending(key, micros)) {
            List<FragmentRef> refs = fragments(s);
            for (int i = refs.size() - 1; i >= 0; i--) {
                FragmentRef r = refs.get(i);
                if (r.keyFrame() && r.wallMicros() <= micros) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    /** Every published fragment intersecting {@code [from, to)}, in order. */
    public List<FragmentRef> fragments(StreamKey key, Instant from, Instant to) throws IOException {
        long lo = TimeIndex.micros(from);
        long hi = TimeIndex.micros(to);
        List<FragmentRef> out = new ArrayList<>();
        for (SegmentInfo s : catalog.overlapping(key, lo, hi)) {
            if (s.endMicros() <= lo || s.startMicros() >= hi) {
                continue;
            }
            for (FragmentRef r : fragments(s)) {
                if (r.wallMicros() < hi && r.wallMicros() + r.durationMicros() > lo) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** The published fragments of one segment, with their byte ranges. */
    public List<FragmentRef> fragments(SegmentInfo s) throws IOException {
        List<IndexEntry> entries = TimeIndex.read(s.index(), s.fragmentCount());
        List<FragmentRef> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            IndexEntry e = entries.get(i);
            long next = i + 1 < entries.size() ? entries.get(i + 1).position() : s.bytes();
            out.add(new FragmentRef(s.segment(), s.startMicros(), i, e.position(), next - e.position(),
                    e.wallMicros(), e.durationMicros(), e.sampleCount(), e.keyFrame()));
        }
        return out;
    }

    /** Length of a segment's init segment: bytes {@code [0, length)} of the file are {@code ftyp + moov}. */
    public long initSegmentLength(Path segment) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            return SegmentScanner.readInit(ch, ch.size()).end();
        }
    }

    /** A segment's init segment bytes. */
    public byte[] initSegment(Path segment) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            long end = SegmentScanner.readInit(ch, ch.size()).end();
            ByteBuffer b = ByteBuffer.allocate((int) end);
            while (b.hasRemaining()) {
                if (ch.read(b, b.position()) < 0) {
                    throw new IOException("short read of " + segment);
                }
            }
            return b.array();
        }
    }

    /**
     * Frames in order from the latest key frame at or before {@code t} (or from the first recorded frame when
     * {@code t} precedes the archive), across segment boundaries. Close the cursor.
     */
    public FrameCursor framesFrom(StreamKey key, Instant t) throws IOException {
        Optional<FragmentRef> start = keyFrameAtOrBefore(key, t);
        if (start.isPresent()) {
            return new FrameCursor(catalog, key, start.get().segmentStartMicros(), start.get().index());
        }
        Optional<SegmentInfo> first = catalog.segments(key).stream().findFirst();
        return new FrameCursor(catalog, key, first.map(SegmentInfo::startMicros).orElse(Long.MAX_VALUE), 0);
    }
}
