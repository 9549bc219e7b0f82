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
 * An {@code AVCDecoderConfigurationRecord} (ISO/IEC 14496-15 section 5.3.3.1): the H.264 parameter sets as MP4's
 * {@code avcC} box and {@link VideoFormat#decoderConfig()} hold them, with 4-byte NAL unit lengths. Built the way
 * GStreamer's {@code h264parse} builds its {@code codec_data} (no high-profile extension), so both ingest engines
 * describe a stream alike. Immutable.
 */
public record AvcConfig(int profile, int compatibility, int level, List<byte[]> sps, List<byte[]> pps) {

    public AvcConfig {
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
        if (sps.isEmpty() || pps.isEmpty()) {
            throw new RtspParseException("avcC needs at least one SPS and one PPS");
        }
    }

    /** From the SPS and PPS NAL units (headers included); the profile and level are read from the first SPS. */
    public static AvcConfig of(List<byte[]> sps, List<byte[]> pps) {
        if (sps.isEmpty() || sps.get(0).length < 4) {
            throw new RtspParseException("avcC needs an SPS of at least 4 bytes");
        }
        byte[] s = sps.get(0);
        return new AvcConfig(s[1] & 0xFF, s[2] & 0xFF, s[3] & 0xFF, sps, pps);
    }

    /** Parses a record; a {@link RtspParseException} when truncated or not version 1. */
    public static AvcConfig parse(byte[] avcC) {
        if (avcC.length < 7 || avcC[0] != 1) {
            throw new RtspParseException("not an avcC record (version " + (avcC.length > 0 ? avcC[0] : -1) + ")");
        }
        int pos = 5;
        int nSps = avcC[pos++] & 0x1F;
        List<byte[]> sps = new ArrayList<>();
        for (int i = 0; i < nSps; i++) {
            pos = readSet(avcC, pos, sps);
        }
        if (pos >= avcC.length) {
            throw new RtspParseException("truncated avcC");
        }
        int nPps = avcC[pos++] & 0xFF;
        List<byte[]> pps = new ArrayList<>();
        for (int i = 0; i < nPps; i++) {
            pos = readSet(avcC, pos, pps);
        }
        return new AvcConfig(avcC[1] & 0xFF, avcC[2] & 0xFF, avcC[3] & 0xFF, sps, pps);
    }

    private static int readSet(byte[] a, int pos, List<byte[]> out) {
        if (pos + 2 > a.length) {
            throw new RtspParseException("truncated avcC");
        }
        int len = ((a[pos] & 0xFF) << 8) | (a[pos + 1] & 0xFF);
        if (pos + 2 + len > a.length) {
            throw new RtspParseException("truncated avcC parameter set");
        }
        out.add(Arrays.copyOfRange(a, pos + 2, pos + 2 + len));
        return pos + 2 + len;
    }

    /** The record's bytes. */
    public byte[] toBytes() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(1);
        b.write(profile);
        b.write(compatibility);
        b.write(level);
        b.write(0xFF); // 6 reserved bits, lengthSizeMinusOne = 3
        b.write(0xE0 | Math.min(sps.size(), 31));
        for (int i = 0; i < Math.min(sps.size(), 31); i++) {
            writeSet(b, sps.get(i));
        }
        b.write(Math.min(pps.size(), 255));
        for (int i = 0; i < Math.min(pps.size(), 255); i++) {
            writeSet(b, pps.get(i));
        }
        return b.toByteArray();
    }

    private static void writeSet(ByteArrayOutputStream b, byte[] set) {
        b.write(set.length >> 8);
        b.write(set.length);
        b.write(set, 0, set.length);
    }

    /** The stream's format: this record, and the picture size read from the first SPS. */
    public VideoFormat toFormat() {
        H264Sps s = H264Sps.parse(sps.get(0));
        return new VideoFormat(Codec.H264, s.width(), s.height(), toBytes());
    }

    /**
     * The frame rate the first SPS declares (its VUI timing information), or 0 when it does not say.
     *
     * @throws RtspParseException the SPS is not one
     */
    public double frameRate() {
        return H264Sps.parse(sps.get(0)).frameRate();
    }

    /** Six hex digits: profile_idc, constraint flags, level_idc (SDP's {@code profile-level-id}). */
    public String profileLevelId() {
        return String.format("%02x%02x%02x", profile, compatibility, level);
    }

    /** Base64 SPS and PPS, comma-separated (SDP's {@code sprop-parameter-sets}). */
    public String spropParameterSets() {
        List<String> parts = new ArrayList<>();
        for (byte[] s : sps) {
            parts.add(Base64.getEncoder().encodeToString(s));
        }
        for (byte[] p : pps) {
            parts.add(Base64.getEncoder().encodeToString(p));
        }
        return String.join(",", parts);
    }
}
