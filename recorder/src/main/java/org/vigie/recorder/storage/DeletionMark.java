package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.vigie.media.StreamKey;

/**
 * A batch of segments of one stream, on one volume, that {@link SegmentDeleter} is destroying: written to
 * {@code <volume>/.deleting/<camera>+<stream>+<first segment>.del} and fsynced before anything is removed, deleted
 * once everything is gone and the {@link DeletionListener} was told. A text file:
 * <pre>
 *   vigie-deletion 1
 *   stream &lt;camera&gt; &lt;stream&gt;
 *   cause &lt;cause&gt;
 *   at &lt;epoch ms of the decision&gt;
 *   segment &lt;base name&gt; &lt;start µs&gt; &lt;end µs&gt; &lt;bytes&gt;     (one per segment, by start)
 *   end
 * </pre>
 * A mark without its final {@code end} line was torn by a crash while it was written: nothing had been removed
 * yet (removal starts only after the mark is fsynced), so such a mark is simply discarded.
 *
 * @param cause    why: {@code retention}, {@code quota} or {@code manual}
 * @param at       when the destruction was decided
 * @param segments never empty, sorted by start
 */
public record DeletionMark(StreamKey key, String cause, Instant at, List<Segment> segments) {

    static final String SUFFIX = ".del";
    private static final String MAGIC = "vigie-deletion 1";

    /** One segment of the batch: its file base name (no suffix) and what the catalog knew of it. */
    public record Segment(String baseName, long startMicros, long endMicros, long bytes) {
    }

    public DeletionMark {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(at, "at");
        if (cause == null || !cause.matches("[a-z]{1,32}")) {
            throw new IllegalArgumentException("cause must be a lower-case word: " + cause);
        }
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("empty deletion batch");
        }
        segments = List.copyOf(segments);
    }

    /** Unique and stable: the stream and the first segment's name (a segment is destroyed once). */
    public String id() {
        return key.cameraId() + "+" + key.stream() + "+" + segments.get(0).baseName();
    }

    public long startMicros() {
        return segments.get(0).startMicros();
    }

    public long endMicros() {
        return segments.get(segments.size() - 1).endMicros();
    }

    public long bytes() {
        return segments.stream().mapToLong(Segment::bytes).sum();
    }

    /** Where the mark of this batch lives on {@code volume}. */
    public Path file(Path volume) {
        return StorageLayout.deletingDir(volume).resolve(id() + SUFFIX);
    }

    String encode() {
        StringBuilder b = new StringBuilder(MAGIC).append('\n');
        b.append("stream ").append(key.cameraId()).append(' ').append(key.stream()).append('\n');
        b.append("cause ").append(cause).append('\n');
        b.append("at ").append(at.toEpochMilli()).append('\n');
        for (Segment s : segments) {
            b.append("segment ").append(s.baseName()).append(' ').append(s.startMicros()).append(' ')
                    .append(s.endMicros()).append(' ').append(s.bytes()).append('\n');
        }
        return b.append("end\n").toString();
    }

    /** Parses a mark file; null when it is torn (no final {@code end} line). */
    static DeletionMark read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(lines.size() - 1).equals("end")) {
            return null;
        }
        try {
            if (!lines.get(0).equals(MAGIC)) {
                throw new IOException("not a deletion mark: " + file);
            }
            String[] stream = field(lines.get(1), "stream", 3);
            String cause = field(lines.get(2), "cause", 2)[1];
            Instant at = Instant.ofEpochMilli(Long.parseLong(field(lines.get(3), "at", 2)[1]));
            List<Segment> segments = new ArrayList<>();
            for (String line : lines.subList(4, lines.size() - 1)) {
                String[] f = field(line, "segment", 5);
                if (StorageLayout.nameMillis(Path.of(f[1] + StorageLayout.SEGMENT_SUFFIX)) < 0) {
                    throw new IOException("bad segment name in " + file + ": " + f[1]);
                }
                segments.add(new Segment(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])));
            }
            return new DeletionMark(new StreamKey(stream[1], stream[2]), cause, at, segments);
        } catch (RuntimeException e) {
            throw new IOException("malformed deletion mark " + file + ": " + e.getMessage(), e);
        }
    }

    private static String[] field(String line, String name, int count) throws IOException {
        String[] f = line.split(" ");
        if (f.length != count || !f[0].equals(name)) {
            throw new IOException("expected '" + name + "' with " + (count - 1) + " value(s), got '" + line + "'");
        }
        return f;
    }
}
