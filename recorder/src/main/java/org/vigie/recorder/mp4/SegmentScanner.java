package org.vigie.recorder.mp4;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.vigie.media.VideoFormat;

/**
 * Walks a segment file box by box: {@code ftyp}, {@code moov}, then {@code prft + moof + mdat} fragments, stopping
 * at the first byte that is not part of a complete, valid fragment. Used by recovery (truncate after the last good
 * fragment, rebuild the index), by the storage checker and to rebuild a format. Every step advances by at least
 * one box, so the walk ends; only small boxes are read into memory. Stateless.
 */
public final class SegmentScanner {

    /** Largest {@code moov}/{@code ftyp} accepted. */
    public static final int MAX_INIT_BOX = 1 << 20;

    private SegmentScanner() {
    }

    public static SegmentScan scan(FileChannel ch) throws IOException {
        return scan(ch, ch.size());
    }

    /** Scans the first {@code limit} bytes. */
    public static SegmentScan scan(FileChannel ch, long limit) throws IOException {
        VideoFormat format;
        long initEnd;
        try {
            InitSegment init = readInit(ch, limit);
            format = init.format();
            initEnd = init.end();
        } catch (MalformedMp4Exception e) {
            return new SegmentScan(null, 0, List.of(), 0, limit, "init segment: " + e.getMessage());
        }
        List<FragmentInfo> fragments = new ArrayList<>();
        long pos = initEnd;
        String problem = null;
        while (pos < limit) {
            try {
                FragmentInfo f = FragmentParser.read(ch, pos, limit);
                fragments.add(f);
                pos = f.end();
            } catch (MalformedMp4Exception e) {
                problem = "fragment " + (fragments.size() + 1) + ": " + e.getMessage();
                break;
            }
        }
        return new SegmentScan(format, initEnd, fragments, pos, limit, problem);
    }

    /** The init segment ({@code ftyp} then {@code moov}) at the start of the file. */
    public static InitSegment readInit(FileChannel ch, long limit) throws IOException {
        BoxHeader ftyp = BoxHeader.read(ch, 0, limit);
        if (!ftyp.type().equals("ftyp")) {
            throw new MalformedMp4Exception("file does not start with ftyp but '" + ftyp.type() + "'");
        }
        BoxHeader moov = BoxHeader.read(ch, ftyp.end(), limit);
        if (!moov.type().equals("moov")) {
            throw new MalformedMp4Exception("expected moov at " + moov.offset() + ", found '" + moov.type() + "'");
        }
        VideoFormat format = InitSegmentParser.parse(moov.readBytes(ch, MAX_INIT_BOX));
        return new InitSegment(format, moov.end());
    }

    /** The format of a segment and the length of its init segment (bytes 0 to {@code end}). */
    public record InitSegment(VideoFormat format, long end) {
    }
}
