package org.vigie.recorder.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.vigie.media.Frame;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.vigie.recorder.mp4.FragmentInfo;
import org.vigie.recorder.mp4.FragmentParser;
import org.vigie.recorder.mp4.SampleInfo;
import org.vigie.recorder.mp4.SegmentScanner;
import org.vigie.recorder.time.WallClockMapper;

/**
 * Iterates the archived frames of a stream from one fragment on, segment after segment, reading from disk one
 * fragment at a time. Frames come back as recorded: AVCC data, key flags, the {@link VideoFormat} rebuilt from the
 * segment's {@code avcC}/{@code hvcC}, the media time on the segment's timeline, and a wall time = the fragment's
 * stored wall time plus the media time elapsed since the fragment's first frame. The {@code sessionId} of a returned
 * frame is its segment's start (µs): it changes at every segment.
 *
 * <p>It follows the catalog live: at the end of what is published, {@link #hasNext()} returns false, and may return
 * true later once more is published. I/O errors surface as {@link UncheckedIOException}. Not thread-safe.
 */
public final class FrameCursor implements Iterator<Frame>, Closeable {

    private final Catalog catalog;
    private final StreamKey key;
    private long segmentStart;
    private int nextFragment;
    private FileChannel channel;
    private VideoFormat format;
    private final ArrayDeque<Frame> buffered = new ArrayDeque<>();

    FrameCursor(Catalog catalog, StreamKey key, long segmentStart, int fragment) {
        this.catalog = catalog;
        this.key = key;
        this.segmentStart = segmentStart;
        this.nextFragment = fragment;
    }

    @Override
    public boolean hasNext() {
        try {
            while (buffered.isEmpty()) {
                if (!loadNextFragment()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Frame next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffered.poll();
    }

    private boolean loadNextFragment() throws IOException {
        Optional<SegmentInfo> current = catalog.get(key, segmentStart);
        if (current.isEmpty()) {
            return false;
        }
        SegmentInfo s = current.get();
        if (nextFragment >= s.fragmentCount()) {
            Optional<SegmentInfo> next = catalog.higher(key, segmentStart);
            if (next.isEmpty()) {
                return false; // live edge
            }
            closeChannel();
            segmentStart = next.get().startMicros();
            nextFragment = 0;
            return true;
        }
        if (channel == null) {
            channel = FileChannel.open(s.segment(), StandardOpenOption.READ);
            format = SegmentScanner.readInit(channel, s.bytes()).format();
        }
        IndexEntry entry;
        try (FileChannel idx = FileChannel.open(s.index(), StandardOpenOption.READ)) {
            entry = TimeIndex.readEntry(idx, nextFragment);
        }
        FragmentInfo f = FragmentParser.read(channel, entry.position(), s.bytes());
        List<SampleInfo> samples = f.samples();
        long first = samples.get(0).offset();
        SampleInfo lastSample = samples.get(samples.size() - 1);
        ByteBuffer payload = ByteBuffer.allocate(Math.toIntExact(lastSample.offset() + lastSample.size() - first));
        while (payload.hasRemaining()) {
            if (channel.read(payload, first + payload.position()) < 0) {
                throw new IOException("short read in " + s.segment());
            }
        }
        byte[] all = payload.array();
        long media = f.baseMediaTime90k();
        for (SampleInfo si : samples) {
            byte[] data = new byte[si.size()];
            System.arraycopy(all, (int) (si.offset() - first), data, 0, si.size());
            long wall = f.wallMicros() + WallClockMapper.ticksToMicros(media - f.baseMediaTime90k());
            buffered.add(new Frame(format, s.startMicros(), media, wall, si.sync(), data));
            media += si.duration();
        }
        nextFragment++;
        return true;
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }
}
