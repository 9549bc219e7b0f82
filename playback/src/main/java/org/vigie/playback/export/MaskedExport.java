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
 * <p>Two ways out: {@link #stream} sends the fragments as they are encoded (the first bytes after about one GOP;
 * what it will be, times, duration and number of pictures, is known before from its {@link #plan}), for
 * {@code export.mp4}; {@link #make} makes the whole file first (its length and digest known: the evidence bundle).
 * At least 4x real time for 720p25 on a 2-core machine by CPU (bin/vms bench masks). Blocking.
 */
public final class MaskedExport implements ExportMedia, AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MaskedExport.class);

    /** Recording gaps longer than this are closed in the export's timeline. */
    static final long MAX_GAP_MICROS = 1_000_000;
    private static final long NOMINAL_FRAME_MICROS = 40_000;
    /** Most pictures between two key frames of the export (one fragment each): 2 s at 25 fps. */
    static final int KEY_INTERVAL = 50;

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
     * What a masked export of a window will be, from the recorded frames alone (read, not decoded: cheap next to
     * the transcoding): its first and last pictures' wall times, its duration and its number of pictures, computed
     * exactly as the transcoding lays them out. A streamed export sends it before any picture is encoded (headers,
     * the init segment's duration).
     *
     * @param startMicros wall time of the first picture shown (the one shown at {@code from})
     * @param endMicros   end of the last picture
     * @param kbps        the bitrate matched to the source's
     */
    public record Plan(StreamKey key, Instant from, Instant to, long startMicros, long endMicros, long durationTicks,
                       long frames, boolean cut, int kbps) {
        public Instant start() {
            return Instant.ofEpochSecond(0, startMicros * 1000);
        }

        public Instant end() {
            return Instant.ofEpochSecond(0, endMicros * 1000);
        }

        public double durationSeconds() {
            return durationTicks / 90_000.0;
        }
    }

    /** The plan of {@code [from, to)}, or empty when nothing is recorded there. Blocking file I/O. */
    public static Optional<Plan> plan(ArchiveReader archive, StreamKey key, Instant from, Instant to)
            throws IOException {
        if (!to.isAfter(from)) throw new IllegalArgumentException("the window ends before it starts");
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
        Layout layout = new Layout();
        try (FrameCursor cursor = archive.framesFrom(key, from)) {
            lay(cursor, fromMicros, toMicros, layout);
        }
        if (layout.shown == 0) return Optional.empty();
        return Optional.of(new Plan(key, from, to, layout.startWall, layout.endWall,
                Writer.ticks(layout.endNanos - layout.firstShownNanos), layout.shown, layout.cut, kbps));
    }

    /** Where the frames of a window go, in the export's timeline: the transcoder, or the plan's counting. */
    private interface FrameTarget {
        /** The first key frame: decoding starts there; pictures ending at or before {@code startNanos} are not shown. */
        void first(Frame keyFrame, long startNanos);

        /** One frame at {@code ptsMicros} on the timeline for {@code durationMicros}; false to stop. */
        boolean frame(Frame f, long ptsMicros, long durationMicros);
    }

    /**
     * Lays the frames of {@code [from, to)} on the export's timeline: from the key frame at or before {@code from}, a
     * stop at a change of picture format, gaps closed, the last picture ending at {@code to} at most one nominal
     * frame after its start. The one definition both the plan and the transcoding use.
     *
     * @return true when it stopped at a change of picture format
     */
    private static boolean lay(FrameCursor cursor, long fromMicros, long toMicros, FrameTarget target)
            throws IOException {
        Frame first = null;
        Frame previous = null;
        long pts = 0; // µs on the export's timeline (gaps closed), of the previous frame
        boolean cut = false;
        while (cursor.hasNext()) {
            Frame f = cursor.next();
            if (f.wallMicros() >= toMicros) break;
            if (first == null) {
                if (!f.keyFrame()) continue;
                first = f;
                target.first(f, Math.max(0, fromMicros - f.wallMicros()) * 1000);
            } else if (!f.format().equals(first.format())) {
                cut = true;
                break;
            }
            if (previous != null) {
                long step = stepMicros(previous, f);
                if (!target.frame(previous, pts, step)) return cut;
                pts += step;
            }
            previous = f;
        }
        if (previous != null) {
            target.frame(previous, pts, Math.min(NOMINAL_FRAME_MICROS, Math.max(1, toMicros - previous.wallMicros())));
        }
        return cut;
    }

    /** The plan's counting of the pictures shown, as the transcoder's start drop and the writer see them. */
    private static final class Layout implements FrameTarget {
        long startNanos;
        long shown;
        long firstShownNanos;
        long endNanos;
        long startWall;
        long endWall;
        boolean cut;

        @Override
        public void first(Frame keyFrame, long startNanos) {
            this.startNanos = startNanos;
        }

        @Override
        public boolean frame(Frame f, long ptsMicros, long durationMicros) {
            long end = (ptsMicros + durationMicros) * 1000;
            if (shown == 0) {
                if (end <= startNanos) return true; // decoded, not shown (MaskedTranscoder's start)
                firstShownNanos = ptsMicros * 1000;
                startWall = f.wallMicros();
            }
            shown++;
            endNanos = end;
            endWall = f.wallMicros() + durationMicros;
            return true;
        }
    }

    /**
     * Streams the masked export of {@code plan} into {@code sink} as it is encoded: the init segment (with the
     * plan's duration) once the first picture is encoded, then each GOP's fragment as soon as the next key frame
     * (or the end) closes it; the first bytes leave after about one GOP, long before a long window is done.
     * Blocking; the sink is called on the transcoder's thread.
     *
     * @param slot the transcoding slot of {@code burnIn} the caller took before it answered (and closes after)
     * @return the pictures sent
     * @throws IOException the archive could not be read, the sink failed (the client left) or the transcoding did
     */
    public static long stream(ArchiveReader archive, Plan plan, MaskSet masks, BurnIn burnIn, BurnIn.Slot slot,
                              ExportSink sink) throws IOException, InterruptedException {
        if (masks.isEmpty()) throw new IllegalArgumentException("no mask to burn in: use Mp4Export");
        Writer writer = new Writer(sink, plan.durationTicks());
        transcode(archive, plan, masks, burnIn, slot, writer);
        if (writer.frames != plan.frames() || writer.timelineTicks != plan.durationTicks()) {
            LOG.warn("masked export of {}: {} pictures and {} ticks sent, {} and {} planned", plan.key(),
                    writer.frames, writer.timelineTicks, plan.frames(), plan.durationTicks());
        }
        return writer.frames;
    }

    /**
     * Transcodes {@code [from, to)} of a stream with {@code masks} burned in into a file, or empty when nothing is
     * recorded there. Takes a transcoding slot of {@code burnIn} for its duration.
     *
     * @throws BurnIn.Busy every transcoding slot is taken
     */
    public static Optional<MaskedExport> make(ArchiveReader archive, StreamKey key, Instant from, Instant to,
                                              MaskSet masks, BurnIn burnIn) throws IOException, BurnIn.Busy,
            InterruptedException {
        if (!to.isAfter(from)) throw new IllegalArgumentException("the window ends before it starts");
        if (masks.isEmpty()) throw new IllegalArgumentException("no mask to burn in: use Mp4Export");
        Optional<Plan> planned = plan(archive, key, from, to);
        if (planned.isEmpty()) return Optional.empty();
        Plan plan = planned.get();
        Files.createDirectories(burnIn.workDir());
        Path file = Files.createTempFile(burnIn.workDir(), "export-" + key.cameraId() + "-", ".m4s");
        Writer writer = new Writer(file);
        boolean ok = false;
        try {
            boolean cut;
            try (BurnIn.Slot slot = burnIn.acquire()) {
                cut = transcode(archive, plan, masks, burnIn, slot, writer);
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

    /** The transcoding of a plan's window into {@code writer}; true when cut at a change of picture format. */
    private static boolean transcode(ArchiveReader archive, Plan plan, MaskSet masks, BurnIn burnIn,
                                     BurnIn.Slot slot, Writer writer) throws IOException, InterruptedException {
        StreamKey key = plan.key();
        try (FrameCursor cursor = archive.framesFrom(key, plan.from())) {
            writer.slot = slot;
            MaskedTranscoder[] t = new MaskedTranscoder[1];
            try {
                boolean cut = lay(cursor, Mp4Export.micros(plan.from()), Mp4Export.micros(plan.to()), new FrameTarget() {
                    @Override
                    public void first(Frame f, long startNanos) {
                        Path png = burnIn.maskImage(masks, f.format().width(), f.format().height());
                        t[0] = MaskedTranscoder.start(f.format(), png, new MaskedTranscoder.Settings(plan.kbps(), KEY_INTERVAL,
                                false), startNanos, writer, key.cameraId());
                    }

                    @Override
                    public boolean frame(Frame f, long ptsMicros, long durationMicros) {
                        return push(t[0], writer, f, ptsMicros, durationMicros);
                    }
                });
                if (t[0] == null) return cut;
                long timeoutMillis = Math.max(60_000, (Mp4Export.micros(plan.to()) - Mp4Export.micros(plan.from())) / 1000);
                if (!t[0].finish(timeoutMillis, TimeUnit.MILLISECONDS)) {
                    throw new IOException("masked transcoding of " + key + " failed: " + writer.failure);
                }
                return cut;
            } finally {
                if (t[0] != null) t[0].close();
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
        private final FileChannel channel; // or:
        private final ExportSink sink;
        /** The duration the streamed init segment announces (the plan's). */
        private final long plannedTicks;
        /** The transcoding's slot, counting the pictures encoded. */
        volatile BurnIn.Slot slot;
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
            this.sink = null;
            this.plannedTicks = 0;
        }

        /** Streams: the init segment (with {@code plannedTicks}) before the first fragment, into {@code sink}. */
        Writer(ExportSink sink, long plannedTicks) {
            this.channel = null;
            this.sink = sink;
            this.plannedTicks = plannedTicks;
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
            if (slot != null) slot.framesEncoded(1); // as it goes: the metric follows a long export
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
                if (sink != null) {
                    if (sequence == 2) { // the first fragment: the init segment goes first
                        byte[] init = ExportInitSegment.write(format, plannedTicks);
                        sink.bytes(init, 0, init.length);
                        bytes += init.length;
                    }
                    sink.bytes(fragment, 0, fragment.length);
                } else {
                    ByteBuffer b = ByteBuffer.wrap(fragment);
                    while (b.hasRemaining()) channel.write(b);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e); // stops the transcoding (MaskedTranscoder fails it)
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
            if (channel != null) channel.close();
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
