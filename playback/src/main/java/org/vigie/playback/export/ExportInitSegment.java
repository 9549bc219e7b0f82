package org.vigie.playback.export;

import org.vigie.media.VideoFormat;
import org.vigie.recorder.mp4.InitSegmentWriter;

/**
 * The init segment of an export: the recorder's ({@link InitSegmentWriter}) with the total duration written in
 * {@code mvhd}, {@code tkhd} and {@code mdhd} and a {@code mehd} (movie extends header) added to {@code mvex}, so
 * that players and ffprobe know the length of the file before reading its fragments. Stateless.
 */
final class ExportInitSegment {

    private ExportInitSegment() {
    }

    /** @param durationTicks total duration in 90 kHz ticks; beyond 32 bits (13 h) it is left unknown */
    static byte[] write(VideoFormat format, long durationTicks) {
        byte[] b = InitSegmentWriter.write(format);
        if (durationTicks <= 0 || durationTicks > 0xFFFFFFFFL) return b;
        int moov = Mp4Boxes.find(b, 0, b.length, "moov");
        int mvhd = Mp4Boxes.find(b, 0, b.length, "moov", "mvhd");
        int tkhd = Mp4Boxes.find(b, 0, b.length, "moov", "trak", "tkhd");
        int mdhd = Mp4Boxes.find(b, 0, b.length, "moov", "trak", "mdia", "mdhd");
        int mvex = Mp4Boxes.find(b, 0, b.length, "moov", "mvex");
        if (moov < 0 || mvhd < 0 || tkhd < 0 || mdhd < 0 || mvex < 0 || b[mvhd + 8] != 0 || b[tkhd + 8] != 0
                || b[mdhd + 8] != 0) {
            throw new IllegalStateException("unexpected init segment layout");
        }
        // version 0 full boxes: size, type, version+flags, then the fields
        Mp4Boxes.putU32(b, mvhd + 8 + 4 + 12, durationTicks); // creation, modification, timescale, duration
        Mp4Boxes.putU32(b, tkhd + 8 + 4 + 16, durationTicks); // creation, modification, track id, reserved, duration
        Mp4Boxes.putU32(b, mdhd + 8 + 4 + 12, durationTicks); // creation, modification, timescale, duration
        byte[] mehd = new byte[16];
        Mp4Boxes.putU32(mehd, 0, 16);
        mehd[4] = 'm';
        mehd[5] = 'e';
        mehd[6] = 'h';
        mehd[7] = 'd';
        Mp4Boxes.putU32(mehd, 12, durationTicks);
        return Mp4Boxes.prependInto(b, mvex, mehd, moov);
    }
}
