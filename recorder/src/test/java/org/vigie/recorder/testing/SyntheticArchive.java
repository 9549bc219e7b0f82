package org.vigie.recorder.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.vigie.media.Codec;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.vigie.recorder.mp4.FragmentWriter;
import org.vigie.recorder.storage.FsyncPolicy;
import org.vigie.recorder.storage.IndexEntry;
import org.vigie.recorder.storage.SegmentWriter;
import org.vigie.recorder.storage.StorageLayout;

/**
 * Writes a synthetic archive through the recorder's own {@link SegmentWriter}, quickly and without a camera: the
 * segments, fragments and indexes are exactly what the recorder writes (so the catalog, the archive reader and the
 * export read them as real recordings), the pictures are fake access units of a chosen size (type-5 NAL units for
 * key frames, type-1 otherwise). For benchmarks over a month of index and for unit tests. Not thread-safe.
 */
public final class SyntheticArchive {

    /** avcC of a 1280x720 Main profile stream (SPS 67 4d 00 1f, PPS 68 ee 3c 80). */
    public static final VideoFormat FORMAT = new VideoFormat(Codec.H264, 1280, 720, new byte[] {1, 0x4d, 0x00, 0x1f,
            (byte) 0xff, (byte) 0xe1, 0, 4, 0x67, 0x4d, 0x00, 0x1f, 1, 0, 4, 0x68, (byte) 0xee, 0x3c, (byte) 0x80});

    /**
     * The shape of the recording.
     *
     * @param fps            frames per second (each frame lasts 90000 / fps ticks)
     * @param gopFrames      a key frame every this many frames
     * @param fragmentFrames frames per fragment (a multiple of the GOP: fragments start on a key frame)
     * @param segmentFragments fragments per segment
     * @param frameBytes     bytes of each access unit (key frames are four times larger)
     */
    public record Shape(int fps, int gopFrames, int fragmentFrames, int segmentFragments, int frameBytes) {
        public Shape {
            if (fragmentFrames % gopFrames != 0) throw new IllegalArgumentException("fragments must hold whole GOPs");
        }

        public Duration segmentDuration() {
            return Duration.ofNanos(1_000_000_000L * fragmentFrames * segmentFragments / fps);
        }
    }

    private SyntheticArchive() {
    }

    /**
     * Writes segments of {@code key} from {@code start} for at least {@code span} (whole segments) in
     * {@code format}; returns the number of segments written.
     */
    public static int write(Path storage, StreamKey key, Instant start, Duration span, Shape shape, VideoFormat format)
            throws IOException {
        Path dir = StorageLayout.streamDir(storage, key);
        long frameTicks = 90_000 / shape.fps();
        long frameMicros = 1_000_000L / shape.fps();
        long wall = start.getEpochSecond() * 1_000_000L + start.getNano() / 1000;
        long end = wall + span.toNanos() / 1000;
        byte[] key5 = accessUnit(5, shape.frameBytes() * 4);
        byte[] delta = accessUnit(1, shape.frameBytes());
        int segments = 0;
        while (wall < end) {
            try (SegmentWriter w = SegmentWriter.create(dir, StorageLayout.baseName(wall / 1000), format, FsyncPolicy.NONE)) {
                long media = 0;
                for (int f = 0; f < shape.segmentFragments(); f++) {
                    // streamed like the recorder does: samples after a head reserved for twice the fragment's
                    // frames, the head (its moof padded with a free box) written last
                    int n = shape.fragmentFrames();
                    int reserved = FragmentWriter.reservedHeadLength(2 * n);
                    int[] sizes = new int[n];
                    int[] durations = new int[n];
                    boolean[] syncs = new boolean[n];
                    w.openFragment(reserved);
                    for (int i = 0; i < n; i++) {
                        boolean sync = i % shape.gopFrames() == 0;
                        byte[] au = sync ? key5 : delta;
                        sizes[i] = au.length;
                        durations[i] = (int) frameTicks;
                        syncs[i] = sync;
                        w.stream(au);
                    }
                    byte[] head = FragmentWriter.head(f + 1, wall, media, n, sizes, durations, syncs, reserved);
                    w.closeFragment(head, new IndexEntry(wall, w.position(),
                            (int) (n * frameTicks * 1000 / 90), true, n));
                    media += shape.fragmentFrames() * frameTicks;
                    wall += shape.fragmentFrames() * frameMicros;
                }
            }
            segments++;
        }
        return segments;
    }

    private static byte[] accessUnit(int nalType, int bytes) {
        byte[] au = new byte[Math.max(bytes, 6)];
        int len = au.length - 4;
        au[0] = (byte) (len >>> 24);
        au[1] = (byte) (len >>> 16);
        au[2] = (byte) (len >>> 8);
        au[3] = (byte) len;
        au[4] = (byte) (0x60 | nalType);
        for (int i = 5; i < au.length; i++) au[i] = (byte) (i * 31);
        return au;
    }
}
