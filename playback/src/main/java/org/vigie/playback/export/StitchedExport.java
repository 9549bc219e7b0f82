package org.vigie.playback.export;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vigie.base.privacy.MaskSet;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.vigie.recorder.mp4.FragmentInfo;
import org.vigie.recorder.mp4.FragmentWriter;
import org.vigie.recorder.mp4.Sample;
import org.vigie.recorder.mp4.SampleInfo;
import org.vigie.recorder.mp4.SegmentScan;
import org.vigie.recorder.mp4.SegmentScanner;
import org.vigie.recorder.time.WallClockMapper;

/**
 * One export made of the parts of a window held by several nodes (issue 13, an export across a failover): each
 * part a standard fragmented MP4 (this node's {@link Mp4Export}, another node's {@code export.mp4}), their samples
 * re-fragmented into one file in time order. The media timeline runs on without gap from part to part (as across
 * segments in {@link Mp4Export}); every fragment's {@code prft} keeps its UTC time, so the handover gap is still
 * visible. Samples of a part that start before the previous part's end (both nodes recorded for a while) are
 * dropped, and a part starts at a key frame. Parts of another picture format end the export (as {@link Mp4Export}).
 *
 * <p>The file is written to a temporary file before a byte is served ({@link #length()} known); memory holds one
 * fragment's samples. {@link #close()} deletes the file. Blocking file I/O.
 */
public final class StitchedExport implements ExportMedia, Closeable {

    private final StreamKey key;
    private final VideoFormat format;
    private final Path file;
    private final long length;
    private final long startMicros;
    private final long endMicros;
    private final long durationTicks;
    private final boolean cut;
    private final List<ExportParts.Gap> gaps;
    private final int parts;

    private StitchedExport(StreamKey key, VideoFormat format, Path file, long startMicros, long endMicros,
                           long durationTicks, boolean cut, List<ExportParts.Gap> gaps, int parts) throws IOException {
        this.key = key;
        this.format = format;
        this.file = file;
        this.length = Files.size(file);
        this.startMicros = startMicros;
        this.endMicros = endMicros;
        this.durationTicks = durationTicks;
        this.cut = cut;
        this.gaps = List.copyOf(gaps);
        this.parts = parts;
    }

    /**
     * Stitches {@code parts} (fragmented MP4 files, in time order) into one file in {@code dir}; null when they hold
     * no sample. The part files are left in place.
     */
    public static StitchedExport make(StreamKey key, List<Path> parts, List<ExportParts.Gap> gaps, Path dir)
            throws IOException {
        Path body = Files.createTempFile(dir, "stitch-" + key.cameraId() + "-", ".body");
        Path out = Files.createTempFile(dir, "stitch-" + key.cameraId() + "-", ".mp4");
        boolean ok = false;
        try {
            VideoFormat format = null;
            boolean cut = false;
            int sequence = 1;
            long timeline = 0;
            long start = Long.MIN_VALUE;
            long lastEnd = Long.MIN_VALUE;
            int used = 0;
            try (FileChannel w = FileChannel.open(body, StandardOpenOption.WRITE)) {
                for (Path p : parts) {
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                        SegmentScan scan = SegmentScanner.scan(ch);
                        if (scan.format() == null) throw new IOException("a part is not an MP4: " + scan.problem());
                        if (format == null) {
                            format = scan.format();
                        } else if (!format.equals(scan.format())) {
                            cut = true;
                            break;
                        }
                        boolean needKey = true;
                        boolean any = false;
                        for (FragmentInfo f : scan.fragments()) {
                            List<Sample> kept = new ArrayList<>();
                            long firstWall = 0;
                            long t = 0;
                            for (SampleInfo s : f.samples()) {
                                long wall = f.wallMicros() + WallClockMapper.ticksToMicros(t);
                                t += s.duration();
                                if (wall < lastEnd) continue; // the previous part has it
                                if (needKey && !s.sync()) continue;
                                needKey = false;
                                if (kept.isEmpty()) firstWall = wall;
                                ByteBuffer data = ByteBuffer.allocate(s.size());
                                while (data.hasRemaining()) {
                                    if (ch.read(data, s.offset() + data.position()) < 0) {
                                        throw new IOException("short read of a part");
                                    }
                                }
                                kept.add(new Sample(data.array(), Math.toIntExact(s.duration()), s.sync()));
                            }
                            if (kept.isEmpty()) continue;
                            any = true;
                            if (start == Long.MIN_VALUE) start = firstWall;
                            ByteBuffer frag = ByteBuffer.wrap(FragmentWriter.write(sequence++, firstWall, timeline,
                                    kept));
                            while (frag.hasRemaining()) w.write(frag);
                            long ticks = 0;
                            for (Sample s : kept) ticks += s.duration();
                            timeline += ticks;
                            lastEnd = Math.max(lastEnd, firstWall + WallClockMapper.ticksToMicros(ticks));
                        }
                        if (any) used++;
                    }
                }
            }
            if (format == null || timeline == 0) return null;
            try (FileChannel w = FileChannel.open(out, StandardOpenOption.WRITE);
                 FileChannel b = FileChannel.open(body, StandardOpenOption.READ)) {
                ByteBuffer init = ByteBuffer.wrap(ExportInitSegment.write(format, timeline));
                while (init.hasRemaining()) w.write(init);
                long n = b.size();
                long done = 0;
                while (done < n) done += b.transferTo(done, n - done, w);
            }
            StitchedExport e = new StitchedExport(key, format, out, start, lastEnd, timeline, cut, gaps, used);
            ok = true;
            return e;
        } finally {
            Files.deleteIfExists(body);
            if (!ok) Files.deleteIfExists(out);
        }
    }

    /** The parts of the window no node could give (a node down or not answering), each with its reason. */
    /** The stitched file (deleted by {@link #close()}). */
    Path file() {
        return file;
    }

    public List<ExportParts.Gap> gaps() {
        return gaps;
    }

    /** How many parts gave samples. */
    public int partsUsed() {
        return parts;
    }

    @Override
    public StreamKey key() {
        return key;
    }

    @Override
    public VideoFormat format() {
        return format;
    }

    @Override
    public Instant start() {
        return Instant.ofEpochSecond(0, startMicros * 1000);
    }

    @Override
    public Instant end() {
        return Instant.ofEpochSecond(0, endMicros * 1000);
    }

    @Override
    public double durationSeconds() {
        return durationTicks / 90_000.0;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public boolean cutAtFormatChange() {
        return cut;
    }

    @Override
    public MaskSet masks() {
        return MaskSet.NONE;
    }

    @Override
    public void write(long from, long to, ExportSink sink) throws IOException {
        if (from < 0 || to > length || from > to) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside [0, " + length + ")");
        }
        sink.file(file, from, to - from);
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }
}
