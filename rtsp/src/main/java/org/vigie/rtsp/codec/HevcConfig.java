package org.vigie.rtsp.codec;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;
import org.vigie.rtsp.RtspParseException;

/**
 * An {@code HEVCDecoderConfigurationRecord} (ISO/IEC 14496-15 section 8.3.3.1): the H.265 parameter sets as MP4's
 * {@code hvcC} box and {@link VideoFormat#decoderConfig()} hold them, with 4-byte NAL unit lengths, one array each
 * for VPS, SPS and PPS (marked complete: every parameter set the stream uses is in the record or in band).
 * {@code min_spatial_segmentation_idc} is 0 ("no indication"), as allowed, which spares parsing the VUI. Immutable.
 */
public record HevcConfig(List<byte[]> vps, List<byte[]> sps, List<byte[]> pps) {

    static final int VPS = 32;
    static final int SPS = 33;
    static final int PPS = 34;

    public HevcConfig {
        vps = List.copyOf(vps);
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
        if (vps.isEmpty() || sps.isEmpty() || pps.isEmpty()) {
            throw new RtspParseException("hvcC needs a VPS, an SPS and a PPS");
        }
    }

    /** Parses a record; a {@link RtspParseException} when truncated or not version 1. */
    public static HevcConfig parse(byte[] hvcC) {
        if (hvcC.length < 23 || hvcC[0] != 1) {
            throw new RtspParseException("not an hvcC record");
        }
        List<byte[]> vps = new ArrayList<>();
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        int arrays = hvcC[22] & 0xFF;
        int pos = 23;
        for (int a = 0; a < arrays; a++) {
            if (pos + 3 > hvcC.length) {
                throw new RtspParseException("truncated hvcC");
            }
            int type = hvcC[pos] & 0x3F;
            int count = ((hvcC[pos + 1] & 0xFF) << 8) | (hvcC[pos + 2] & 0xFF);
            pos += 3;
            for (int i = 0; i < count; i++) {
                if (pos + 2 > hvcC.length) {
                    throw new RtspParseException("truncated hvcC");
                }
                int len = ((hvcC[pos] & 0xFF) << 8) | (hvcC[pos + 1] & 0xFF);
                if (pos + 2 + len > hvcC.length) {
                    throw new RtspParseException("truncated hvcC parameter set");
                }
                byte[] nal = Arrays.copyOfRange(hvcC, pos + 2, pos + 2 + len);
                switch (type) {
                    case VPS -> vps.add(nal);
                    case SPS -> sps.add(nal);
                    case PPS -> pps.add(nal);
                    default -> {
                        // SEI arrays: not kept
                    }
                }
                pos += 2 + len;
            }
        }
        return new HevcConfig(vps, sps, pps);
    }

    /** The record's bytes, its profile fields taken from the first SPS. */
    public byte[] toBytes() {
        H265Sps s = H265Sps.parse(sps.get(0));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(1);
        byte[] ptl = s.profileTierLevel();
        b.write(ptl, 0, 12); // general profile space/tier/idc, compatibility flags, constraint flags, level
        b.write(0xF0);       // reserved '1111' + min_spatial_segmentation_idc (12 bits) = 0
        b.write(0x00);
        b.write(0xFC);       // reserved '111111' + parallelismType = 0 (unknown)
        b.write(0xFC | (s.chromaFormat() & 3));
        b.write(0xF8 | ((s.bitDepthLuma() - 8) & 7));
        b.write(0xF8 | ((s.bitDepthChroma() - 8) & 7));
        b.write(0);          // avgFrameRate (16 bits) = 0: unspecified
        b.write(0);
        // constantFrameRate 0, numTemporalLayers, temporalIdNested, lengthSizeMinusOne 3
        b.write(((s.maxSubLayers() & 7) << 3) | (s.temporalIdNesting() ? 0x04 : 0) | 3);
        b.write(3);
        writeArray(b, VPS, vps);
        writeArray(b, SPS, sps);
        writeArray(b, PPS, pps);
        return b.toByteArray();
    }

    private static void writeArray(ByteArrayOutputStream b, int type, List<byte[]> nals) {
        b.write(0x80 | type); // array_completeness = 1
        b.write(nals.size() >> 8);
        b.write(nals.size());
        for (byte[] n : nals) {
            b.write(n.length >> 8);
            b.write(n.length);
            b.write(n, 0, n.length);
        }
    }

    /** The stream's format: this record, and the picture size read from the first SPS. */
    public VideoFormat toFormat() {
        H265Sps s = H265Sps.parse(sps.get(0));
        return new VideoFormat(Codec.H265, s.width(), s.height(), toBytes());
    }

    /** Base64 lists for SDP: {@code sprop-vps}, {@code sprop-sps}, {@code sprop-pps} (RFC 7798 section 7.1). */
    public String sprop(int type) {
        List<byte[]> sets = switch (type) {
            case VPS -> vps;
            case SPS -> sps;
            case PPS -> pps;
            default -> throw new IllegalArgumentException("not a parameter set type: " + type);
        };
        List<String> parts = new ArrayList<>();
        for (byte[] s : sets) {
            parts.add(Base64.getEncoder().encodeToString(s));
        }
        return String.join(",", parts);
    }
}
