package org.vigie.rtsp.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vigie.rtsp.RtspParseException;

/**
 * NAL unit helpers: the NAL units of an access unit in MP4 sample form (each prefixed by its 4-byte big-endian
 * length, as {@link org.vigie.media.Frame} holds it), and NAL unit types.
 */
public final class NalUnits {

    /** H.264 NAL unit types (ITU-T H.264 table 7-1). */
    public static final int H264_IDR = 5;
    public static final int H264_SPS = 7;
    public static final int H264_PPS = 8;
    /** H.265 NAL unit types (ITU-T H.265 table 7-1). */
    public static final int H265_VPS = 32;
    public static final int H265_SPS = 33;
    public static final int H265_PPS = 34;

    private NalUnits() {
    }

    /**
     * The NAL units of an access unit in sample form.
     *
     * @throws RtspParseException when a length runs past the end of the data
     */
    public static List<byte[]> split(byte[] sample) {
        List<byte[]> out = new ArrayList<>();
        int pos = 0;
        while (pos + 4 <= sample.length) {
            long len = ((sample[pos] & 0xFFL) << 24) | ((sample[pos + 1] & 0xFF) << 16)
                    | ((sample[pos + 2] & 0xFF) << 8) | (sample[pos + 3] & 0xFF);
            pos += 4;
            if (len > sample.length - pos) {
                throw new RtspParseException("NAL unit of " + len + " bytes runs past the access unit ("
                        + (sample.length - pos) + " bytes left)");
            }
            out.add(Arrays.copyOfRange(sample, pos, pos + (int) len));
            pos += (int) len;
        }
        if (pos != sample.length) {
            throw new RtspParseException("trailing " + (sample.length - pos) + " byte(s) after the last NAL unit");
        }
        return out;
    }

    public static int h264Type(byte[] nal) {
        return nal[0] & 0x1F;
    }

    public static int h265Type(byte[] nal) {
        return (nal[0] >> 1) & 0x3F;
    }

    /** True for H.265 IRAP pictures (BLA, IDR, CRA: types 16 to 23), where decoding can start. */
    public static boolean h265Irap(int type) {
        return type >= 16 && type <= 23;
    }
}
