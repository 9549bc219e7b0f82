package org.vigie.rtsp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vigie.media.Codec;

/**
 * A test clip (src/test/resources/clips) split into access units of NAL units: Annex B start codes removed, a new
 * access unit at every parameter set or SEI after a picture, and at every first slice of a picture.
 */
public record Clip(Codec codec, List<List<byte[]>> accessUnits) {

    public static Clip h264() {
        return load("/clips/h264-main-320x240.h264", Codec.H264);
    }

    public static Clip h264High1080p() {
        return load("/clips/h264-high-1080p.h264", Codec.H264);
    }

    public static Clip h265() {
        return load("/clips/h265-352x288.h265", Codec.H265);
    }

    public static Clip load(String resource, Codec codec) {
        try (InputStream in = Clip.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            return new Clip(codec, group(splitAnnexB(in.readAllBytes()), codec));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first NAL unit of a type (SPS, PPS...). */
    public byte[] first(int type) {
        for (List<byte[]> au : accessUnits) {
            for (byte[] nal : au) {
                if (type(nal) == type) {
                    return nal;
                }
            }
        }
        throw new IllegalStateException("no NAL unit of type " + type);
    }

    public int type(byte[] nal) {
        return codec == Codec.H264 ? nal[0] & 0x1F : (nal[0] >> 1) & 0x3F;
    }

    public boolean isKey(List<byte[]> au) {
        for (byte[] nal : au) {
            int t = type(nal);
            if (codec == Codec.H264 ? t == 5 : t >= 16 && t <= 23) {
                return true;
            }
        }
        return false;
    }

    /** The access unit in MP4 sample form (4-byte lengths). */
    public static byte[] sample(List<byte[]> au) {
        int n = 0;
        for (byte[] nal : au) {
            n += 4 + nal.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] nal : au) {
            out[pos] = (byte) (nal.length >>> 24);
            out[pos + 1] = (byte) (nal.length >>> 16);
            out[pos + 2] = (byte) (nal.length >>> 8);
            out[pos + 3] = (byte) nal.length;
            System.arraycopy(nal, 0, out, pos + 4, nal.length);
            pos += 4 + nal.length;
        }
        return out;
    }

    static List<byte[]> splitAnnexB(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i + 2 < data.length; i++) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                if (start >= 0) {
                    int end = i;
                    while (end > start && data[end - 1] == 0) {
                        end--;
                    }
                    out.add(Arrays.copyOfRange(data, start, end));
                }
                start = i + 3;
                i += 2;
            }
        }
        if (start >= 0 && start < data.length) {
            out.add(Arrays.copyOfRange(data, start, data.length));
        }
        return out;
    }

    private static List<List<byte[]>> group(List<byte[]> nals, Codec codec) {
        List<List<byte[]>> aus = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        boolean hasPicture = false;
        for (byte[] nal : nals) {
            boolean vcl;
            boolean firstSlice;
            boolean prefix;
            if (codec == Codec.H264) {
                int t = nal[0] & 0x1F;
                vcl = t >= 1 && t <= 5;
                firstSlice = vcl && (nal[1] & 0x80) != 0; // first_mb_in_slice == 0: ue(v) starts with bit 1
                prefix = t == 6 || t == 7 || t == 8 || t == 9;
            } else {
                int t = (nal[0] >> 1) & 0x3F;
                vcl = t < 32;
                firstSlice = vcl && (nal[2] & 0x80) != 0; // first_slice_segment_in_pic_flag
                prefix = t >= 32 && t <= 35 || t == 39;
            }
            if (hasPicture && (prefix || firstSlice)) {
                aus.add(current);
                current = new ArrayList<>();
                hasPicture = false;
            }
            current.add(nal);
            hasPicture |= vcl;
        }
        if (!current.isEmpty()) {
            aus.add(current);
        }
        return aus;
    }
}
