package org.vigie.playback.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.vigie.recorder.mp4.BoxHeader;
import org.vigie.recorder.mp4.FragmentInfo;
import org.vigie.recorder.mp4.FragmentParser;
import org.vigie.recorder.mp4.FragmentWriter;
import org.vigie.recorder.mp4.MalformedMp4Exception;
import org.vigie.recorder.mp4.Sample;
import org.vigie.recorder.mp4.SampleInfo;
import org.vigie.recorder.mp4.SegmentScanner;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.FragmentRef;
import org.vigie.recorder.time.WallClockMapper;

/**
 * The plan of one export: a standard fragmented MP4 made of an init segment (with the total duration) and the
 * recorded fragments of the window, byte for byte but for three header fields each ({@code mfhd} sequence number
 * renumbered from 1, {@code tfdt} and the {@code prft} media time shifted so that the timeline starts at 0 and runs
 * on without gap across segments; the {@code prft} wall-clock time is kept, so every fragment still tells its UTC
 * time). Only the first and last fragments are rebuilt in memory when the window cuts them: the first starts at
 * the last key frame at or before {@code from}, the last ends before {@code to}.
 *
 * <p>Invariants: {@link #length()} is known from the plan before a byte is written, and {@link #write} of any
 * range writes exactly that many bytes; memory holds at most the init segment, two cut fragments and one
 * fragment's headers; sample payloads are never copied through the heap unless the sink does it. The export
 * stops at the first change of {@link VideoFormat} (a single-track MP4 has one sample description).
 * Immutable; {@link #write} does blocking file I/O.
 */
public final class Mp4Export implements ExportMedia {

    private final StreamKey key;
    private final VideoFormat format;
    private final List<Part> parts;
    private final long[] offsets;
    private final long length;
    private final long startMicros;
    private final long endMicros;
    private final long durationTicks;
    private final boolean cutAtFormatChange;
    private final org.vigie.base.privacy.MaskSet masks;

    private Mp4Export(StreamKey key, VideoFormat format, List<Part> parts, long startMicros, long endMicros,
                      long durationTicks, boolean cutAtFormatChange) {
        this(key, format, parts, startMicros, endMicros, durationTicks, cutAtFormatChange,
                org.vigie.base.privacy.MaskSet.NONE);
    }

    private Mp4Export(StreamKey key, VideoFormat format, List<Part> parts, long startMicros, long endMicros,
                      long durationTicks, boolean cutAtFormatChange, org.vigie.base.privacy.MaskSet masks) {
        if (!masks.isEmpty()) throw new IllegalArgumentException("a recorded export burns no mask in");
        this.masks = masks;
        this.key = key;
        this.format = format;
        this.parts = List.copyOf(parts);
        this.offsets = new long[parts.size() + 1];
        for (int i = 0; i < parts.size(); i++) offsets[i + 1] = offsets[i] + parts.get(i).length();
        this.length = offsets[parts.size()];
        this.startMicros = startMicros;
        this.endMicros = endMicros;
        this.durationTicks = durationTicks;
        this.cutAtFormatChange = cutAtFormatChange;
    }

    /** One piece of the file. */
    private sealed interface Part permits InMemory, Recorded {
        long length();
    }

    /** Bytes built at plan time: the init segment, a cut fragment. */
    private record InMemory(byte[] bytes) implements Part {
        public long length() {
            return bytes.length;
        }
    }

    /** A recorded fragment sent as is but for its renumbered sequence and shifted media time. */
    private record Recorded(Path segment, long position, long length, int sequence, long tfdtShift) implements Part {
    }

    /**
     * Plans the export of {@code [from, to)} of a stream, or empty when nothing is recorded there. Blocking.
     */
    public static Optional<Mp4Export> plan(ArchiveReader archive, StreamKey key, Instant from, Instant to)
            throws IOException {
        if (!to.isAfter(from)) throw new IllegalArgumentException("the window ends before it starts");
        long fromMicros = micros(from);
        long toMicros = micros(to);
        Optional<FragmentRef> k = archive.keyFrameAtOrBefore(key, from);
        List<FragmentRef> refs = new ArrayList<>(archive.fragments(key, k.map(FragmentRef::wallStart).orElse(from), to));
        if (k.isPresent()) {
            FragmentRef first = k.get();
            refs.removeIf(r -> r.segmentStartMicros() < first.segmentStartMicros()
                    || (r.segmentStartMicros() == first.segmentStartMicros() && r.index() < first.index()));
        } else {
            while (!refs.isEmpty() && !refs.get(0).keyFrame()) refs.remove(0);
        }
        if (refs.isEmpty()) return Optional.empty();

        VideoFormat format = null;
        boolean cut = false;
        List<List<FragmentRef>> segments = new ArrayList<>();
        for (FragmentRef r : refs) {
            if (segments.isEmpty() || !segments.get(segments.size() - 1).get(0).segment().equals(r.segment())) {
                VideoFormat f = formatOf(r.segment());
                if (format == null) {
                    format = f;
                } else if (!format.equals(f)) {
                    cut = true;
                    break;
                }
                segments.add(new ArrayList<>());
            }
            segments.get(segments.size() - 1).add(r);
        }

        List<Part> parts = new ArrayList<>();
        parts.add(null); // the init segment, once the duration is known
        int sequence = 1;
        long timeline = 0; // export media time where the next segment's first kept sample goes, 90 kHz
        long startWall = 0;
        long endWall = 0;
        for (int si = 0; si < segments.size(); si++) {
            List<FragmentRef> seg = segments.get(si);
            boolean firstSegment = si == 0;
            boolean lastSegment = si == segments.size() - 1;
            try (FileChannel ch = FileChannel.open(seg.get(0).segment(), StandardOpenOption.READ)) {
                Parsed first = Parsed.read(ch, seg.get(0));
                int a = firstSegment ? first.lastKeyAtOrBefore(fromMicros) : 0;
                if (firstSegment) startWall = first.wall[a];
                long shift = timeline - (first.info.baseMediaTime90k() + first.ticksBefore(a));
                for (int fi = 0; fi < seg.size(); fi++) {
                    FragmentRef r = seg.get(fi);
                    boolean lastOfSegment = fi == seg.size() - 1;
                    if (fi != 0 && !lastOfSegment) {
                        parts.add(new Recorded(r.segment(), r.position(), r.length(), sequence++, shift));
                        continue;
                    }
                    Parsed f = fi == 0 ? first : Parsed.read(ch, r);
                    int from0 = fi == 0 ? a : 0;
                    int to0 = lastSegment && lastOfSegment ? f.firstAtOrAfter(toMicros, from0 + 1) : f.wall.length;
                    long newTfdt = f.info.baseMediaTime90k() + f.ticksBefore(from0) + shift;
                    if (from0 == 0 && to0 == f.wall.length) {
                        parts.add(new Recorded(r.segment(), r.position(), r.length(), sequence++, shift));
                    } else {
                        parts.add(new InMemory(rebuild(ch, f.info.samples(), from0, to0, sequence++, f.wall[from0],
                                newTfdt)));
                    }
                    if (lastOfSegment) {
                        timeline = f.info.baseMediaTime90k() + f.ticksBefore(to0) + shift;
                        endWall = f.wall[to0 - 1] + WallClockMapper.ticksToMicros(f.info.samples().get(to0 - 1).duration());
                    }
                }
            }
        }
        parts.set(0, new InMemory(ExportInitSegment.write(format, timeline)));
        return Optional.of(new Mp4Export(key, format, parts, startWall, endWall, timeline, cut));
    }

    /** A parsed fragment and the wall time of each of its samples. */
    private record Parsed(FragmentInfo info, long[] wall) {

        static Parsed read(FileChannel ch, FragmentRef r) throws IOException {
            FragmentInfo f = FragmentParser.read(ch, r.position(), r.position() + r.length());
            long[] wall = new long[f.samples().size()];
            long t = 0;
            for (int i = 0; i < wall.length; i++) {
                wall[i] = f.wallMicros() + WallClockMapper.ticksToMicros(t);
                t += f.samples().get(i).duration();
            }
            return new Parsed(f, wall);
        }

        /** The last key frame at or before {@code micros}, or 0 (the fragment starts on a key frame). */
        int lastKeyAtOrBefore(long micros) {
            int a = 0;
            for (int i = 0; i < wall.length; i++) {
                if (info.samples().get(i).sync() && wall[i] <= micros) a = i;
            }
            return a;
        }

        /** The first sample at or after {@code micros}, not before {@code min}, or the sample count. */
        int firstAtOrAfter(long micros, int min) {
            for (int i = min; i < wall.length; i++) {
                if (wall[i] >= micros) return i;
            }
            return wall.length;
        }

        long ticksBefore(int index) {
            long t = 0;
            for (int i = 0; i < index; i++) t += info.samples().get(i).duration();
            return t;
        }
    }

    /** Samples {@code [a, b)} of a fragment as a new fragment, read into memory (at most one fragment). */
    private static byte[] rebuild(FileChannel ch, List<SampleInfo> samples, int a, int b, int sequence, long wallMicros,
                                  long tfdt) throws IOException {
        List<Sample> out = new ArrayList<>(b - a);
        for (int i = a; i < b; i++) {
            SampleInfo si = samples.get(i);
            ByteBuffer data = ByteBuffer.allocate(si.size());
            while (data.hasRemaining()) {
                if (ch.read(data, si.offset() + data.position()) < 0) throw new IOException("short read");
            }
            out.add(new Sample(data.array(), Math.toIntExact(si.duration()), si.sync()));
        }
        return FragmentWriter.write(sequence, wallMicros, tfdt, out);
    }

    private static VideoFormat formatOf(Path segment) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            return SegmentScanner.readInit(ch, ch.size()).format();
        }
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    /** Total bytes of the file. */
    @Override
    public long length() {
        return length;
    }

    @Override
    public StreamKey key() {
        return key;
    }

    @Override
    public VideoFormat format() {
        return format;
    }

    /** UTC time of the first sample: the last key frame at or before the requested start. */
    @Override
    public Instant start() {
        return Instant.ofEpochSecond(0, startMicros * 1000);
    }

    /** UTC time just after the last sample. */
    @Override
    public Instant end() {
        return Instant.ofEpochSecond(0, endMicros * 1000);
    }

    /** Media duration, seconds. */
    @Override
    public double durationSeconds() {
        return durationTicks / 90_000.0;
    }

    public int fragmentCount() {
        return parts.size() - 1;
    }

    /** True when the window went on past a change of picture format, where the export stops. */
    @Override
    public boolean cutAtFormatChange() {
        return cutAtFormatChange;
    }

    /**
     * The recorded stream as is: no mask burned in; the version is that of the camera's masks when they were all
     * lifted ({@link #withMaskVersion}), 0 otherwise.
     */
    @Override
    public org.vigie.base.privacy.MaskSet masks() {
        return masks;
    }

    /** The same export naming the mask set in force, which must be empty (every liftable mask lifted, or none). */
    public Mp4Export withMaskVersion(org.vigie.base.privacy.MaskSet inForce) {
        return new Mp4Export(key, format, parts, startMicros, endMicros, durationTicks, cutAtFormatChange, inForce);
    }

    /** Writes bytes {@code [from, to)} of the file. */
    @Override
    public void write(long from, long to, ExportSink sink) throws IOException {
        if (from < 0 || to > length || from > to) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside [0, " + length + ")");
        }
        FileChannel ch = null;
        Path open = null;
        try {
            for (int i = 0; i < parts.size() && offsets[i] < to; i++) {
                long ps = offsets[i];
                long pe = offsets[i + 1];
                if (pe <= from) continue;
                long a = Math.max(from, ps) - ps;
                long b = Math.min(to, pe) - ps;
                Part p = parts.get(i);
                if (p instanceof InMemory m) {
                    sink.bytes(m.bytes(), (int) a, (int) (b - a));
                } else if (p instanceof Recorded r) {
                    if (!r.segment().equals(open)) {
                        if (ch != null) ch.close();
                        ch = FileChannel.open(r.segment(), StandardOpenOption.READ);
                        open = r.segment();
                    }
                    byte[] header = header(ch, r);
                    if (a < header.length) {
                        int hb = (int) Math.min(b, header.length);
                        sink.bytes(header, (int) a, hb - (int) a);
                    }
                    if (b > header.length) {
                        long pa = Math.max(a, header.length);
                        sink.file(r.segment(), r.position() + pa, b - pa);
                    }
                }
            }
        } finally {
            if (ch != null) ch.close();
        }
    }

    /**
     * The fragment's {@code prft}, {@code moof} and {@code mdat} header with the sequence number and media times
     * rewritten; same length as recorded.
     */
    private static byte[] header(FileChannel ch, Recorded r) throws IOException {
        long limit = r.position() + r.length();
        BoxHeader prft = expect(BoxHeader.read(ch, r.position(), limit), "prft");
        BoxHeader moof = expect(BoxHeader.read(ch, prft.end(), limit), "moof");
        BoxHeader mdat = expect(BoxHeader.read(ch, moof.end(), limit), "mdat");
        if (mdat.end() != limit) throw new MalformedMp4Exception("fragment at " + r.position() + " does not end at its index length");
        int len = Math.toIntExact(mdat.contentOffset() - r.position());
        if (len > FragmentParser.MAX_MOOF_SIZE + 64) throw new MalformedMp4Exception("fragment header too large: " + len);
        ByteBuffer buf = ByteBuffer.allocate(len);
        while (buf.hasRemaining()) {
            if (ch.read(buf, r.position() + buf.position()) < 0) throw new IOException("short read");
        }
        byte[] h = buf.array();
        int prftSize = (int) prft.size();
        // prft: size, type, version(1) flags(3), reference track(4), NTP(8), media time (u64 in v1, else u32)
        int prftTime = 8 + 4 + 4 + 8;
        if (h[8] == 1) {
            Mp4Boxes.putU64(h, prftTime, Mp4Boxes.u64(h, prftTime) + r.tfdtShift());
        } else {
            Mp4Boxes.putU32(h, prftTime, Mp4Boxes.u32(h, prftTime) + r.tfdtShift());
        }
        int moofEnd = prftSize + (int) moof.size();
        int mfhd = Mp4Boxes.find(h, prftSize, moofEnd, "moof", "mfhd");
        int tfdt = Mp4Boxes.find(h, prftSize, moofEnd, "moof", "traf", "tfdt");
        if (mfhd < 0 || tfdt < 0) throw new MalformedMp4Exception("fragment at " + r.position() + " lacks mfhd or tfdt");
        Mp4Boxes.putU32(h, mfhd + 12, r.sequence());
        if (h[tfdt + 8] == 1) {
            Mp4Boxes.putU64(h, tfdt + 12, Mp4Boxes.u64(h, tfdt + 12) + r.tfdtShift());
        } else {
            Mp4Boxes.putU32(h, tfdt + 12, Mp4Boxes.u32(h, tfdt + 12) + r.tfdtShift());
        }
        return h;
    }

    private static BoxHeader expect(BoxHeader h, String type) throws MalformedMp4Exception {
        if (!h.type().equals(type)) {
            throw new MalformedMp4Exception("expected '" + type + "' at " + h.offset() + ", found '" + h.type() + "'");
        }
        return h;
    }
}
