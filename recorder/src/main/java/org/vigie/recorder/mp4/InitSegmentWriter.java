package org.vigie.recorder.mp4;

import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;

/**
 * Writes the init segment of a fragmented MP4 file for one video track: {@code ftyp} (major brand {@code iso6},
 * compatible {@code iso6 mp41} plus {@code avc1} or {@code hvc1}) and a {@code moov} whose sample tables are
 * empty (samples live in the fragments) with an {@code mvex/trex} announcing fragments.
 *
 * <p>The track is number {@link #TRACK_ID}, media timescale {@link #TIMESCALE} (90 kHz, the RTP video clock), and
 * the sample entry ({@code avc1}/{@code hvc1}) holds {@link VideoFormat#decoderConfig()} verbatim as its
 * {@code avcC}/{@code hvcC}. Stateless and thread-safe.
 */
public final class InitSegmentWriter {

    public static final int TRACK_ID = 1;
    public static final int TIMESCALE = 90_000;

    private static final int[] UNITY_MATRIX = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};

    private InitSegmentWriter() {
    }

    /** The init segment ({@code ftyp} + {@code moov}) for a track of this format. */
    public static byte[] write(VideoFormat format) {
        BoxBuilder b = new BoxBuilder(512 + format.decoderConfig().length);
        int ftyp = b.open("ftyp");
        b.fourcc("iso6").u32(0).fourcc("iso6").fourcc("mp41").fourcc(format.codec().sampleEntry());
        b.close(ftyp);

        int moov = b.open("moov");
        int mvhd = b.openFull("mvhd", 0, 0);
        b.u32(0).u32(0).u32(TIMESCALE).u32(0); // creation, modification, timescale, duration (unknown)
        b.u32(0x00010000).u16(0x0100).zeros(10); // rate 1.0, volume 1.0, reserved
        matrix(b);
        b.zeros(24).u32(TRACK_ID + 1); // pre_defined, next_track_ID
        b.close(mvhd);

        int trak = b.open("trak");
        int tkhd = b.openFull("tkhd", 0, 3); // enabled | in movie
        b.u32(0).u32(0).u32(TRACK_ID).u32(0).u32(0); // creation, modification, track, reserved, duration
        b.zeros(8).u16(0).u16(0).u16(0).u16(0); // reserved, layer, alternate group, volume, reserved
        matrix(b);
        b.u32((long) format.width() << 16).u32((long) format.height() << 16);
        b.close(tkhd);

        int mdia = b.open("mdia");
        int mdhd = b.openFull("mdhd", 0, 0);
        b.u32(0).u32(0).u32(TIMESCALE).u32(0).u16(0x55c4).u16(0); // language "und"
        b.close(mdhd);
        int hdlr = b.openFull("hdlr", 0, 0);
        b.u32(0).fourcc("vide").zeros(12).bytes("Vigie video\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.close(hdlr);

        int minf = b.open("minf");
        int vmhd = b.openFull("vmhd", 0, 1);
        b.u16(0).zeros(6);
        b.close(vmhd);
        int dinf = b.open("dinf");
        int dref = b.openFull("dref", 0, 0);
        b.u32(1);
        int url = b.openFull("url ", 0, 1); // media in the same file
        b.close(url);
        b.close(dref);
        b.close(dinf);

        int stbl = b.open("stbl");
        int stsd = b.openFull("stsd", 0, 0);
        b.u32(1);
        sampleEntry(b, format);
        b.close(stsd);
        emptyTable(b, "stts");
        emptyTable(b, "stsc");
        int stsz = b.openFull("stsz", 0, 0);
        b.u32(0).u32(0);
        b.close(stsz);
        emptyTable(b, "stco");
        b.close(stbl);
        b.close(minf);
        b.close(mdia);
        b.close(trak);

        int mvex = b.open("mvex");
        int trex = b.openFull("trex", 0, 0);
        b.u32(TRACK_ID).u32(1).u32(0).u32(0).u32(0);
        b.close(trex);
        b.close(mvex);
        b.close(moov);
        return b.toByteArray();
    }

    private static void sampleEntry(BoxBuilder b, VideoFormat format) {
        int entry = b.open(format.codec().sampleEntry());
        b.zeros(6).u16(1); // reserved, data_reference_index
        b.u16(0).u16(0).zeros(12); // pre_defined, reserved, pre_defined
        b.u16(format.width()).u16(format.height());
        b.u32(0x00480000).u32(0x00480000).u32(0).u16(1); // 72 dpi, reserved, frame_count
        b.zeros(32).u16(0x0018).u16(0xffff); // compressorname, depth, pre_defined = -1
        int config = b.open(format.codec() == Codec.H264 ? "avcC" : "hvcC");
        b.bytes(format.decoderConfig());
        b.close(config);
        b.close(entry);
    }

    private static void emptyTable(BoxBuilder b, String type) {
        int box = b.openFull(type, 0, 0);
        b.u32(0);
        b.close(box);
    }

    private static void matrix(BoxBuilder b) {
        for (int v : UNITY_MATRIX) {
            b.u32(v & 0xffffffffL);
        }
    }
}
