package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vigie.media.StreamKey;

/**
 * Where things live under the storage root:
 * <pre>
 *   &lt;storage&gt;/.clean-shutdown                          written at clean shutdown, removed at start-up
 *   &lt;storage&gt;/&lt;cameraId&gt;/&lt;stream&gt;/&lt;start&gt;.mp4          a segment: a standalone fragmented MP4
 *   &lt;storage&gt;/&lt;cameraId&gt;/&lt;stream&gt;/&lt;start&gt;.idx          its time index ({@link TimeIndex})
 *   &lt;storage&gt;/.deleting/&lt;camera&gt;+&lt;stream&gt;+&lt;start&gt;.del   a batch being destroyed ({@link DeletionMark})
 * </pre>
 * With several volumes ({@link StorageVolumes}) each volume root has this layout.
 * {@code <start>} is the UTC epoch milliseconds of the segment's first frame, zero-padded to 20 digits so that
 * names sort by time. If that name is already taken by the previous segment (a segment shorter than 1 ms), the
 * next free millisecond is used: names are sort keys; the exact start lives in the index. Stateless.
 */
public final class StorageLayout {

    public static final String CLEAN_SHUTDOWN_MARKER = ".clean-shutdown";
    public static final String SEGMENT_SUFFIX = ".mp4";
    public static final String INDEX_SUFFIX = ".idx";
    public static final String DELETING_DIR = ".deleting";
    private static final int NAME_DIGITS = 20;

    private StorageLayout() {
    }

    public static Path streamDir(Path storage, StreamKey key) {
        return storage.resolve(key.cameraId()).resolve(key.stream());
    }

    /** The folder of the deletion marks of a volume ({@link DeletionMark}). */
    public static Path deletingDir(Path storage) {
        return storage.resolve(DELETING_DIR);
    }

    /** The deletion marks left in a volume, sorted (empty when there is no mark folder). */
    public static List<Path> deletionMarks(Path storage) throws IOException {
        Path dir = deletingDir(storage);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        TreeSet<Path> out = new TreeSet<>();
        for (Path p : list(dir)) {
            if (p.getFileName().toString().endsWith(DeletionMark.SUFFIX)) {
                out.add(p);
            }
        }
        return new ArrayList<>(out);
    }

    public static String baseName(long startMillis) {
        if (startMillis < 0) {
            throw new IllegalArgumentException("segment before 1970: " + startMillis);
        }
        return String.format("%0" + NAME_DIGITS + "d", startMillis);
    }

    /** The start millis encoded in a segment or index file name, or -1 when it is not one of ours. */
    public static long nameMillis(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot != NAME_DIGITS) {
            return -1;
        }
        for (int i = 0; i < NAME_DIGITS; i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(name.substring(0, NAME_DIGITS));
    }

    public static Path indexOf(Path segment) {
        String name = segment.getFileName().toString();
        return segment.resolveSibling(name.substring(0, name.length() - SEGMENT_SUFFIX.length()) + INDEX_SUFFIX);
    }

    /** The file name of a segment without its suffix: {@code 00000001767225600000}. */
    public static String baseNameOf(Path segment) {
        String name = segment.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    public static Path segmentOf(Path index) {
        String name = index.getFileName().toString();
        return index.resolveSibling(name.substring(0, name.length() - INDEX_SUFFIX.length()) + SEGMENT_SUFFIX);
    }

    /** Every stream folder under the storage root, sorted. */
    public static TreeMap<StreamKey, Path> streams(Path storage) throws IOException {
        TreeMap<StreamKey, Path> out = new TreeMap<>(
                (a, b) -> a.cameraId().equals(b.cameraId()) ? a.stream().compareTo(b.stream())
                        : a.cameraId().compareTo(b.cameraId()));
        if (!Files.isDirectory(storage)) {
            return out;
        }
        for (Path camera : list(storage)) {
            String cameraId = camera.getFileName().toString();
            if (!Files.isDirectory(camera) || !StreamKey.isSafeName(cameraId)) {
                continue;
            }
            for (Path stream : list(camera)) {
                String name = stream.getFileName().toString();
                if (Files.isDirectory(stream) && StreamKey.isSafeName(name)) {
                    out.put(new StreamKey(cameraId, name), stream);
                }
            }
        }
        return out;
    }

    /** The segment files ({@code .mp4}) of a stream folder, sorted by name (time). */
    public static List<Path> segments(Path streamDir) throws IOException {
        return withSuffix(streamDir, SEGMENT_SUFFIX);
    }

    /** The index files ({@code .idx}) of a stream folder, sorted by name. */
    public static List<Path> indexes(Path streamDir) throws IOException {
        return withSuffix(streamDir, INDEX_SUFFIX);
    }

    private static List<Path> withSuffix(Path dir, String suffix) throws IOException {
        TreeSet<Path> out = new TreeSet<>();
        for (Path p : list(dir)) {
            if (p.getFileName().toString().endsWith(suffix) && nameMillis(p) >= 0) {
                out.add(p);
            }
        }
        return new ArrayList<>(out);
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        }
        return out;
    }

    /** Forces a directory's entries (file creations, deletions, renames) to disk. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
