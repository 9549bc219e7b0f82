package org.vigie.recorder.mp4;

import java.util.List;
import org.vigie.media.VideoFormat;

/**
 * What {@link SegmentScanner} found in a segment file: its format (null when the init segment is unreadable),
 * the end of the init segment, the complete fragments in order, and where the valid prefix ends.
 *
 * @param validEnd the offset after the last complete fragment (or after the init segment; 0 when even the init
 *                 segment is bad): truncating there keeps exactly the intact prefix
 * @param problem  why the scan stopped before {@code fileLength}, or null when the whole file is valid
 */
public record SegmentScan(VideoFormat format, long initEnd, List<FragmentInfo> fragments, long validEnd,
                          long fileLength, String problem) {

    public SegmentScan {
        fragments = List.copyOf(fragments);
    }

    public boolean clean() {
        return problem == null;
    }
}
