package org.vigie.playback.export;

import java.io.IOException;
import java.time.Instant;
import org.vigie.base.privacy.MaskSet;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;

/**
 * The video of one export, as served ({@code export.mp4}) and put in an evidence bundle: the recorded fragments
 * ({@link Mp4Export}) or their masked re-encode ({@link MaskedExport}). A standard fragmented MP4 whose length is
 * known before a byte is written.
 */
public interface ExportMedia {

    StreamKey key();

    /** The format of the file's track. */
    VideoFormat format();

    /** UTC time of the first picture. */
    Instant start();

    /** UTC time just after the last picture. */
    Instant end();

    /** Media duration, seconds. */
    double durationSeconds();

    /** Total bytes of the file. */
    long length();

    /** True when the window went on past a change of picture format, where the export stops. */
    boolean cutAtFormatChange();

    /** The masks burned into the pictures, {@link MaskSet#NONE} for the recorded stream as is. */
    MaskSet masks();

    /** Writes bytes {@code [from, to)} of the file. */
    void write(long from, long to, ExportSink sink) throws IOException;

    /** Writes the whole file. */
    default void write(ExportSink sink) throws IOException {
        write(0, length(), sink);
    }
}
