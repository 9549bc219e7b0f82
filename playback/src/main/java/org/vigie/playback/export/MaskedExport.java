package org.vigie.playback.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.vigie.base.privacy.MaskSet;
import org.vigie.gst.mask.MaskedTranscoder;
import org.vigie.media.Frame;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.vigie.playback.privacy.BurnIn;
import org.vigie.recorder.mp4.FragmentWriter;
import org.vigie.recorder.mp4.Sample;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.FragmentRef;
import org.vigie.recorder.storage.FrameCursor;

/**
 * The export of a window of a masked camera: the recorded pictures decoded, the masks burned in and re-encoded in
 * H.264 ({@link MaskedTranscoder}) at the source's size and bitrate, written as a standard fragmented MP4 (one
 * fragment per GOP, each with its {@code prft} wall-clock time, the timeline from 0) into a file of the burn-in
 * folder, which {@link #close} deletes.
 *
 * <p>Unlike the recorded export, it starts exactly at the asked time: decoding starts on the key frame before
 * {@code from}, and the pictures before the one shown at {@code from} are decoded but not encoded. It ends with the
 * last picture before {@code to}, stops at a change of picture format, and closes recording gaps longer than
 * {@value #MAX_GAP_MICROS} µs (the next picture follows at once; its wall time stays in its {@code prft}).
 *
 * <p>The whole file is made before a byte is served (its length is then known, Range works): at least 4x real time
 * for 720p25 on a 2-core machine (bin/vms bench masks). Blocking.
 */
public final class MaskedExport implements ExportMedia, AutoCloseable {

    /** Recording gaps longer than this are closed in the export's timeline. */
    static final long MAX_GAP_MICROS = 1_000_000;
    private static final long NOMINAL_FRAME_MICROS = 40_000;

    private final StreamKey key;
    private final VideoFormat format;
    private final MaskSet masks;
    private final byte[] init;
    private final Path fragments;
    private final long fragmentBytes;
    private final long startMicros;
    private final long endMicros;
    private final long durationTicks;
    private final boolean cut;
    private final long frames;

    private MaskedExport(StreamKey key, VideoFormat format, MaskSet masks, byte[] init, Path fragments,
                         long fragmentBytes, long startMicros, long endMicros, long durationTicks, boolean cut,
                         long frames) {
        this.key = key;
        this.format = format;
        this.masks = masks;
        this.init = init;
        this.fragments = fragments;
        this.fragmentBytes = fragmentBytes;
        this.startMicros = startMicros;
        this.endMicros = endMicros;
        this.durationTicks = durationTicks;
        this.cut = cut;
        this.frames = frames;
    }

    /**
     * Transcodes {@code [from, to)} of a stream with {@code masks} burned in, or empty when nothing is recorded
     * there. Takes a transcoding slot of {@code burnIn} for its duration.
     *
     * @throws BurnIn.Busy every transcoding slot is taken
     */
    public static Optional<MaskedExport> make(ArchiveReader archive, StreamKey key, Instant from, Instant to,
                                              MaskSet masks, BurnIn burnIn) throws IOException, BurnIn.Busy,
            InterruptedException {
        if (!to.isAfter(from)) throw new IllegalArgumentException("the window ends before it starts");
        if (masks.isEmpty()) throw new IllegalArgumentException("no mask to burn in: use Mp4Export");
        long fromMicros = Mp4Export.micros(from);
        long toMicros = Mp4Export.micros(to);
        List<FragmentRef> refs = archive.fragments(key, from, to);
        if (refs.isEmpty()) return Optional.empty();
        long bytes = 0;
        long micros = 0;
        for (FragmentRef r : refs) {
            bytes += r.length();
            micros += Math.max(0, Mp4Export.micros(r.wallEnd()) - Mp4Export.micros(r.wallStart()));
        }
        int kbps = MaskedTranscoder.Settings.matchedKbps(bytes, micros * 1000);

        try (BurnIn.Slot slot = burnIn.acquire(); FrameCursor cursor = archive.framesFrom(key, from)) {
            Files.createDirectories(burnIn.workDir());
            Path file = Files.createTempFile(burnIn.workDir(), "export-" + key.cameraId() + "-", ".m4s");
            Writer writer = new Writer(file);
            boolean ok = false;
            try {
                Frame first = null;
                Frame previous = null;
                long pts = 0; // µs on the export's timeline (gaps closed), of the previous frame
                boolean cut = false;
                MaskedTranscoder t = null;
                try {
                    while (cursor.hasNext()) {
                        Frame f = cursor.next();
                        if (f.wallMicros() >= toMicros) break;
                        if (first == null) {
                            if (!f.keyFrame()) continue;
                            first = f;
                            Path png = burnIn.maskImage(masks, f.format().width(), f.format().height());
                            long startNanos = Math.max(0, fromMicros - f.wallMicros()) * 1000;
                            t = MaskedTranscoder.start(f.format(), png, new MaskedTranscoder.Settings(kbps, 50, false),
                                    startNanos, writer, key.cameraId());
                        } else if (!f.format().equals(first.format())) {
                            cut = true;
                            break;
                        }
                        if (previous != null) {
                            long step = stepMicros(previous, f);
                            if (!push(t, writer, previous, pts, step)) break;
                            pts += step;
                        }
                        previous = f;
                    }
                    if (previous == null) return Optional.empty();
                    long lastStep = Math.min(NOMINAL_FRAME_MICROS, Math.max(1, toMicros - previous.wallMicros()));
                    push(t, writer, previous, pts, lastStep);
                    long timeoutMillis = Math.max(60_000, (toMicros - fromMicros) / 1000);
                    if (!t.finish(timeoutMillis, TimeUnit.MILLISECONDS)) {
                        throw new IOException("masked transcoding of " + key + " failed: " + writer.failure);
                    }
                    slot.framesEncoded(t.framesEncoded());
                } finally {
                    if (t != null) t.close();
                }
                writer.close();
                if (writer.frames == 0) return Optional.empty();
                MaskedExport e = new MaskedExport(key, writer.format, masks,
                        ExportInitSegment.write(writer.format, writer.timelineTicks), file, writer.bytes,
                        writer.firstWall, writer.endWall, writer.timelineTicks, cut, writer.frames);
                ok = true;
                return Optional.of(e);
            } finally {
                if (!ok) {
                    writer.close();
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Time from one frame to the next on the export's timeline: the wall-time step, gaps closed. */
    private static long stepMicros(Frame a, Frame b) {
        long d = b.wallMicros() - a.wallMicros();
        return d <= 0 || d > MAX_GAP_MICROS ? NOMINAL_FRAME_MICROS : d;
    }

    private static boolean push(MaskedTranscoder t, Writer w, Frame f, long ptsMicros, long durationMicros) {
        w.walls.add(new long[] {ptsMicros * 1000, f.wallMicros()});
        return t.push(f.data(), ptsMicros * 1000, durationMicros * 1000);
    }

    /**
     * Writes the encoded pictures into the fragments file, one fragment per GOP; runs on the transcoder's thread.
     * The wall time of each picture is that of the recorded picture pushed at the same time.
     */
    private static final class Writer implements MaskedTranscoder.Output {
        final ConcurrentLinkedQueue<long[]> walls = new ConcurrentLinkedQueue<>();
        private final FileChannel channel;
        private final List<long[]> gop = new ArrayList<>(); // {pts ns, wall µs}
        private final List<byte[]> gopData = new ArrayList<>();
        private final List<Boolean> gopKeys = new ArrayList<>();
        volatile VideoFormat format;
        volatile String failure;
        long bytes;
        long frames;
        long firstPts = -1;
        long firstWall;
        long endWall;
        long timelineTicks; // 90 kHz ticks written so far
        int sequence = 1;
        private long lastDurationNanos = NOMINAL_FRAME_MICROS * 1000;

        Writer(Path file) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
        }

        @Override
        public void format(VideoFormat f) {
            format = f;
        }

        @Override
        public void frame(byte[] au, long ptsNanos, long durationNanos, boolean keyFrame) {
            long wall = wallOf(ptsNanos);
            if (firstPts < 0) {
                firstPts = ptsNanos;
                firstWall = wall;
            }
            if (keyFrame && !gop.isEmpty()) flush(ptsNanos);
            gop.add(new long[] {ptsNanos, wall});
            gopData.add(au);
            gopKeys.add(keyFrame);
            if (durationNanos > 0) lastDurationNanos = durationNanos;
            frames++;
        }

        @Override
        public void end() {
            if (!gop.isEmpty()) {
                long[] last = gop.get(gop.size() - 1);
                flush(last[0] + lastDurationNanos);
                endWall = last[1] + lastDurationNanos / 1000;
            }
        }

        @Override
        public void failed(String message) {
            failure = message;
        }

        private long wallOf(long ptsNanos) {
            long[] w;
            while ((w = walls.peek()) != null && w[0] < ptsNanos) walls.poll();
            w = walls.peek();
            return w != null && w[0] == ptsNanos ? w[1] : firstWall + (ptsNanos - Math.max(0, firstPts)) / 1000;
        }

        /** Writes the GOP held as one fragment; {@code nextPtsNanos} ends its last picture. */
        private void flush(long nextPtsNanos) {
            List<Sample> samples = new ArrayList<>(gop.size());
            long startTicks = ticks(gop.get(0)[0] - firstPts);
            for (int i = 0; i < gop.size(); i++) {
                long next = i + 1 < gop.size() ? gop.get(i + 1)[0] : nextPtsNanos;
                long d = ticks(next - firstPts) - ticks(gop.get(i)[0] - firstPts);
                samples.add(new Sample(gopData.get(i), (int) Math.max(1, d), gopKeys.get(i)));
            }
            byte[] fragment = FragmentWriter.write(sequence++, gop.get(0)[1], startTicks, samples);
            try {
                ByteBuffer b = ByteBuffer.wrap(fragment);
                while (b.hasRemaining()) channel.write(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bytes += fragment.length;
            timelineTicks = ticks(nextPtsNanos - firstPts);
            gop.clear();
            gopData.clear();
            gopKeys.clear();
        }

        private static long ticks(long nanos) {
            return Math.round(nanos * 9 / 100_000.0);
        }

        void close() throws IOException {
            channel.close();
        }
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
        return init.length + fragmentBytes;
    }

    @Override
    public boolean cutAtFormatChange() {
        return cut;
    }

    @Override
    public MaskSet masks() {
        return masks;
    }

    /** Pictures in the file. */
    public long frames() {
        return frames;
    }

    @Override
    public void write(long from, long to, ExportSink sink) throws IOException {
        if (from < 0 || to > length() || from > to) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside [0, " + length() + ")");
        }
        if (from < init.length) {
            int b = (int) Math.min(to, init.length);
            sink.bytes(init, (int) from, b - (int) from);
        }
        if (to > init.length) {
            long a = Math.max(from, init.length) - init.length;
            sink.file(fragments, a, to - init.length - a);
        }
    }

    /** Deletes the file. */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(fragments);
    }
}
