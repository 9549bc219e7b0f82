package org.vigie.recorder.mp4;

import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;

/**
 * Rebuilds the {@link VideoFormat} from a {@code moov} box written by {@link InitSegmentWriter} (or any single
 * video track with an {@code avc1}/{@code hvc1} sample entry): codec, picture size from the sample entry and the
 * {@code avcC}/{@code hvcC} record. Stateless.
 */
public final class InitSegmentParser {

    private InitSegmentParser() {
    }

    /** @param moov the whole {@code moov} box, header included */
    public static VideoFormat parse(byte[] moov) throws MalformedMp4Exception {
        ByteReader r = new ByteReader(moov, 8, moov.length);
        ByteReader stsd = r.find("trak").find("mdia").find("minf").find("stbl").find("stsd");
        stsd.skip(4); // version, flags
        if (stsd.u32() < 1) {
            throw new MalformedMp4Exception("stsd has no sample entry");
        }
        ByteReader.Child entry = stsd.child();
        Codec codec = switch (entry.type()) {
            case "avc1", "avc3" -> Codec.H264;
            case "hvc1", "hev1" -> Codec.H265;
            default -> throw new MalformedMp4Exception("unsupported sample entry '" + entry.type() + "'");
        };
        ByteReader e = entry.content();
        e.skip(24);
        int width = e.u16();
        int height = e.u16();
        e.skip(50);
        ByteReader config = e.find(codec == Codec.H264 ? "avcC" : "hvcC");
        byte[] record = config.bytes(config.remaining());
        try {
            return new VideoFormat(codec, width, height, record);
        } catch (IllegalArgumentException ex) {
            throw new MalformedMp4Exception("bad sample entry: " + ex.getMessage());
        }
    }
}
