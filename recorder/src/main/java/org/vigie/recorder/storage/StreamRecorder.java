package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.media.Frame;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.vigie.recorder.mp4.FragmentWriter;

/**
 * Turns one stream's frames into segments (each created on the volume {@link StorageVolumes#forNewSegment} names,
 * and listed in {@link OpenSegments} while it is written) and fragments, and publishes them in the {@link Catalog}.
 *
 * <p>Rules:
 * <ul>
 *   <li>A segment starts on a key frame; frames before a session's first key frame are skipped (counted).</li>
 *   <li>A frame's duration is the next frame's media time minus its own (at least 1 tick), so a fragment is
 *       written when the frame after it arrives; at the end of a segment the last frame reuses the previous
 *       frame's duration (1/25 s when the segment has a single frame).</li>
 *   <li>A fragment closes on a key frame once it holds at least the fragment duration, or unconditionally before a
 *       frame that would take it beyond twice that (long GOPs; such a fragment starts with a non-key frame), or
 *       before a frame that would exceed its sample capacity (likewise).</li>
 *   <li>A fragment's frames are written to the segment file as they arrive ({@link SegmentWriter#stream}, one
 *       gathering write per drain of the writer thread: {@link #flush}), after a head reserved for the fragment's
 *       sample capacity; the head is written when the fragment closes. The recorder keeps only each frame's size,
 *       duration and key flag, never its bytes. The capacity is twice the previous fragment's frame count, within
 *       [{@value #MIN_CAPACITY}, {@value #MAX_CAPACITY}] ({@value #INITIAL_CAPACITY} for a stream's first
 *       fragment), so the padding costs {@code 12 × (capacity − frames) + 8} bytes per fragment.</li>
 *   <li>A segment rolls on the first key frame at or after the segment duration (media time).</li>
 *   <li>A new session, a format change, a wall-time step of more than {@value #MAX_STEP_MICROS} µs or backwards, a
 *       media-time step of more than 5 s, or frames dropped upstream end the segment: what follows is a gap.</li>
 *   <li>No overlap: a segment starts at {@code max(first frame's wall time, end of the stream's previous
 *       segment)} and each fragment at {@code max(its first frame's wall time, end of the previous fragment)}; the
 *       stored wall time of a fragment is that clamped value (in its {@code prft} and its index entry).</li>
 * </ul>
 *
 * <p>Not thread-safe: confined to the writer thread the stream is pinned to.
 */
final class StreamRecorder {

    static final long MAX_STEP_MICROS = 5_000_000L;
    private static final long MAX_MEDIA_STEP = 5 * 90_000L;
    private static final int DEFAULT_DURATION = 3600;
    static final int INITIAL_CAPACITY = 256;
    static final int MIN_CAPACITY = 32;
    static final int MAX_CAPACITY = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(StreamRecorder.class);

    private final StreamKey key;
    private final RecorderConfig config;
    private final Catalog catalog;
    private final InstantSource clock;
    private final StreamCounters counters;
    private final StorageVolumes volumes;
    private final OpenSegments open;
    private final ChannelOpener opener;

    private SegmentWriter segment;
    private long segmentStartMicros;
    private long segmentFirstMedia;
    private long nextFragmentMinWall;
    private int sequence;
    private int lastDuration;
    /** The open fragment: its frames' sizes, durations and key flags, its first frame's times, its capacity. */
    private int capacity = INITIAL_CAPACITY;
    private int reservedHead;
    private int count;
    private int[] sizes = new int[INITIAL_CAPACITY];
    private int[] durations = new int[INITIAL_CAPACITY];
    private boolean[] sync = new boolean[INITIAL_CAPACITY];
    private long firstMedia;
    private long firstWall;
    /** What the discontinuity check needs of the last frame (never the frame itself: it would pin its bytes). */
    private long lastSession;
    private long lastMedia;
    private long lastWall;
    private VideoFormat lastFormat;

    StreamRecorder(StreamKey key, RecorderConfig config, Catalog catalog, InstantSource clock, StreamCounters counters) {
        this(key, config, catalog, clock, counters, ChannelOpener.DEFAULT);
    }

    StreamRecorder(StreamKey key, RecorderConfig config, Catalog catalog, InstantSource clock, StreamCounters counters,
                   ChannelOpener opener) {
        this(key, config, catalog, clock, counters, opener, StorageVolumes.single(config.storage()),
                new OpenSegments());
    }

    StreamRecorder(StreamKey key, RecorderConfig config, Catalog catalog, InstantSource clock, StreamCounters counters,
                   ChannelOpener opener, StorageVolumes volumes, OpenSegments open) {
        this.opener = opener;
        this.key = key;
        this.config = config;
        this.catalog = catalog;
        this.clock = clock;
        this.counters = counters;
        this.volumes = volumes;
        this.open = open;
    }

    StreamKey key() {
        return key;
    }

    StreamCounters counters() {
        return counters;
    }

    /**
     * Records a frame.
     *
     * @param afterDrop frames were dropped just before this one (it is then a key frame): start a new segment
     */
    void onFrame(Frame f, boolean afterDrop) {
        try {
            if (segment != null && (afterDrop || discontinuity(f))) {
                endSegment();
            }
            if (segment == null) {
                if (!f.keyFrame()) {
                    counters.framesSkipped.incrementAndGet();
                    return;
                }
                startSegment(f);
                add(f);
                return;
            }
            int duration = (int) Math.max(1, f.mediaTime90k() - lastMedia);
            durations[count - 1] = duration;
            lastDuration = duration;
            long held = f.mediaTime90k() - firstMedia;
            // Half a frame of slack: timestamps smoothed by the jitter buffer put the key frame that ends a 2 s GOP
            // a few ticks short of 2 s, which without it would double every fragment (and the recovery point).
            long slack = duration / 2;
            if (f.keyFrame() && f.mediaTime90k() - segmentFirstMedia + slack >= config.segmentTicks()) {
                writeFragment();
                closeSegment();
                startSegment(f);
            } else if (f.keyFrame() && held + slack >= config.fragmentTicks()) {
                writeFragment();
            } else if (held > 2 * config.fragmentTicks() || count >= capacity) {
                writeFragment();
            }
            add(f);
        } catch (IOException | RuntimeException e) {
            failed(e);
        }
    }

    /**
     * Writes the frames received since the last flush to the segment file (one gathering write). The writer thread
     * calls it after each drain, so no frame's bytes stay referenced beyond it.
     */
    void flush() {
        if (segment == null) {
            return;
        }
        try {
            segment.flush();
        } catch (IOException | RuntimeException e) {
            failed(e);
        }
    }

    /** The session ended: write what is pending and close the segment. */
    void onSessionEnd() {
        try {
            endSegment();
        } catch (IOException | RuntimeException e) {
            failed(e);
        }
    }

    /** Clean shutdown of this stream. */
    void close() {
        onSessionEnd();
    }

    private boolean discontinuity(Frame f) {
        long wallStep = f.wallMicros() - lastWall;
        long mediaStep = f.mediaTime90k() - lastMedia;
        return f.sessionId() != lastSession || !f.format().equals(lastFormat)
                || wallStep < 0 || wallStep > MAX_STEP_MICROS || mediaStep < 0 || mediaStep > MAX_MEDIA_STEP;
    }

    private void add(Frame f) throws IOException {
        if (count == 0) {
            reservedHead = FragmentWriter.reservedHeadLength(capacity);
            segment.openFragment(reservedHead);
            firstMedia = f.mediaTime90k();
            firstWall = f.wallMicros();
            if (sizes.length < capacity) {
                sizes = Arrays.copyOf(sizes, capacity);
                durations = Arrays.copyOf(durations, capacity);
                sync = Arrays.copyOf(sync, capacity);
            }
        }
        sizes[count] = f.size();
        durations[count] = 0;
        sync[count] = f.keyFrame();
        count++;
        lastSession = f.sessionId();
        lastMedia = f.mediaTime90k();
        lastWall = f.wallMicros();
        lastFormat = f.format();
        segment.stream(f.data());
    }

    private void startSegment(Frame f) throws IOException {
        Optional<SegmentInfo> previous = catalog.last(key);
        long start = f.wallMicros();
        long nameMillis = Math.floorDiv(start, 1000L);
        if (previous.isPresent()) {
            start = Math.max(start, previous.get().endMicros());
            nameMillis = Math.max(Math.floorDiv(start, 1000L),
                    StorageLayout.nameMillis(previous.get().segment()) + 1);
        }
        Path dir = StorageLayout.streamDir(volumes.forNewSegment(key), key);
        String baseName = StorageLayout.baseName(nameMillis);
        Path file = dir.resolve(baseName + StorageLayout.SEGMENT_SUFFIX);
        open.opening(file); // before the file exists: see OpenSegments
        try {
            segment = SegmentWriter.create(dir, baseName, f.format(), config.fsync(), opener);
        } catch (IOException | RuntimeException e) {
            open.closed(file);
            throw e;
        }
        counters.segments.incrementAndGet();
        counters.bytesWritten.addAndGet(segment.initLength());
        segmentStartMicros = start;
        segmentFirstMedia = f.mediaTime90k();
        nextFragmentMinWall = start;
        sequence = 0;
        lastDuration = 0;
    }

    private void endSegment() throws IOException {
        if (segment == null) {
            return;
        }
        if (count > 0) {
            durations[count - 1] = lastDuration > 0 ? lastDuration : DEFAULT_DURATION;
            writeFragment();
        }
        closeSegment();
    }

    private void closeSegment() throws IOException {
        SegmentWriter s = segment;
        segment = null;
        count = 0;
        try {
            if (s.fragments() == 0) {
                s.abandon(); // deletes it: a segment always holds at least one fragment
            } else {
                s.close();
            }
        } finally {
            open.closed(s.segment());
        }
    }

    private void writeFragment() throws IOException {
        long t0 = System.nanoTime();
        long wall = Math.max(firstWall, nextFragmentMinWall);
        long ticks = 0;
        long payload = 0;
        for (int i = 0; i < count; i++) {
            ticks += durations[i];
            payload += sizes[i];
        }
        byte[] head = FragmentWriter.head(++sequence, wall, firstMedia - segmentFirstMedia, count, sizes, durations,
                sync, reservedHead);
        IndexEntry entry = new IndexEntry(wall, segment.position(), TimeIndex.durationMicros(ticks), sync[0], count);
        long before = segment.position();
        segment.closeFragment(head, entry);
        nextFragmentMinWall = entry.endMicros();
        catalog.publish(key, new SegmentInfo(segment.segment(), segmentStartMicros, entry.endMicros(),
                segment.fragments(), segment.position()));
        counters.framesWritten.addAndGet(count);
        counters.bytesWritten.addAndGet(segment.position() - before);
        counters.fragments.incrementAndGet();
        counters.lastFsyncMicros.set(segment.lastFsyncNanos() / 1000);
        counters.lastWriteMicros.set((System.nanoTime() - t0) / 1000);
        counters.lastWrite.set(clock.instant());
        if (LOG.isTraceEnabled()) {
            LOG.trace("{}: fragment {} of {} frames, {} bytes payload, {} bytes of head reserved", key, sequence,
                    count, payload, reservedHead);
        }
        capacity = Math.min(MAX_CAPACITY, Math.max(MIN_CAPACITY, 2 * count));
        count = 0;
    }

    private void failed(Exception e) {
        counters.writeErrors.incrementAndGet();
        LOG.error("{}: recording failed, the open segment is closed and recording resumes at the next key frame",
                key, e);
        if (segment != null) {
            segment.abandon();
            open.closed(segment.segment());
            segment = null;
        }
        count = 0;
    }
}
