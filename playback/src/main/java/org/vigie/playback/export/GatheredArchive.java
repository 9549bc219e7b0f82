package org.vigie.playback.export;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.vigie.media.StreamKey;
import org.vigie.recorder.mp4.FragmentInfo;
import org.vigie.recorder.mp4.SampleInfo;
import org.vigie.recorder.mp4.SegmentScan;
import org.vigie.recorder.mp4.SegmentScanner;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.storage.FsyncPolicy;
import org.vigie.recorder.storage.IndexEntry;
import org.vigie.recorder.storage.SegmentWriter;
import org.vigie.recorder.storage.StorageLayout;
import org.vigie.recorder.time.WallClockMapper;

/**
 * The gathered, time-ordered frames of an export across a failover (a {@link StitchedExport}: every node's part,
 * unmasked) laid out as a one-segment archive in a temporary folder, so that the masked export burns its masks into
 * the same frames the unmasked stitched export holds ({@link MaskedExport} reads an {@link ArchiveReader}). The
 * fragments are copied as they are (no decoding). {@link #close()} deletes the folder. Blocking file I/O.
 */
public final class GatheredArchive implements Closeable {

    private final Path storage;
    private final ArchiveReader reader;

    private GatheredArchive(Path storage, ArchiveReader reader) {
        this.storage = storage;
        this.reader = reader;
    }

    /** The frames of {@code stitched} as an archive of {@code key} in a new folder under {@code dir}. */
    public static GatheredArchive of(StitchedExport stitched, Path dir) throws IOException {
        StreamKey key = stitched.key();
        Path storage = Files.createTempDirectory(dir, "gathered-" + key.cameraId() + "-");
        boolean ok = false;
        try (FileChannel in = FileChannel.open(stitched.file(), StandardOpenOption.READ)) {
            SegmentScan scan = SegmentScanner.scan(in);
            if (scan.format() == null) throw new IOException("the stitched export is not an MP4: " + scan.problem());
            long startMillis = scan.fragments().isEmpty() ? 0 : scan.fragments().get(0).wallMicros() / 1000;
            try (SegmentWriter w = SegmentWriter.create(StorageLayout.streamDir(storage, key),
                    StorageLayout.baseName(startMillis), scan.format(), FsyncPolicy.NONE)) {
                for (FragmentInfo f : scan.fragments()) {
                    ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(f.end() - f.position()));
                    while (bytes.hasRemaining()) {
                        if (in.read(bytes, f.position() + bytes.position()) < 0) {
                            throw new IOException("short read of the stitched export");
                        }
                    }
                    long ticks = 0;
                    for (SampleInfo s : f.samples()) ticks += s.duration();
                    w.append(bytes.array(), new IndexEntry(f.wallMicros(), w.position(),
                            Math.toIntExact(WallClockMapper.ticksToMicros(ticks)), f.samples().get(0).sync(),
                            f.samples().size()));
                }
            }
            GatheredArchive g = new GatheredArchive(storage, new ArchiveReader(Catalog.load(storage)));
            ok = true;
            return g;
        } finally {
            if (!ok) delete(storage);
        }
    }

    public ArchiveReader reader() {
        return reader;
    }

    @Override
    public void close() throws IOException {
        delete(storage);
    }

    private static void delete(Path storage) throws IOException {
        if (!Files.exists(storage)) return;
        try (Stream<Path> all = Files.walk(storage)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
