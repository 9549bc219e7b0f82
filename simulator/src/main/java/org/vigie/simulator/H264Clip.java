package org.vigie.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.vigie.media.VideoFormat;
import org.vigie.rtsp.codec.AvcConfig;

/**
 * An H.264 clip parsed once from an Annex B byte stream into access units, ready to be looped by simulated
 * cameras.
 *
 * <p>Invariants (checked at parse time): the clip holds at least one access unit; the first access unit is an IDR
 * picture, so looping from the last access unit back to the first is a clean seam; every IDR access unit carries
 * the SPS and PPS in front of its slices (inserted if the encoder did not repeat them), so a client that joins at
 * any IDR can decode. Access unit delimiters are dropped (RTP does not need them). Immutable and thread-safe.
 */
public final class H264Clip {

    /** NAL unit types used here (ITU-T H.264 table 7-1). */
    static final int NAL_SLICE = 1;
    static final int NAL_IDR = 5;
    static final int NAL_SEI = 6;
    static final int NAL_SPS = 7;
    static final int NAL_PPS = 8;
    static final int NAL_AUD = 9;

    /**
     * One picture: its NAL units without start codes, in decoding order.
     *
     * @param idr true when the access unit holds an IDR slice (a decoder can start here)
     */
    public record AccessUnit(List<byte[]> nalUnits, boolean idr) {

        public AccessUnit {
            nalUnits = List.copyOf(nalUnits);
        }

        /** Total size of the NAL units, without start codes or length prefixes. */
        public int size() {
            int n = 0;
            for (byte[] nal : nalUnits) {
                n += nal.length;
            }
            return n;
        }
    }

    private final List<AccessUnit> accessUnits;
    private final byte[] sps;
    private final byte[] pps;
    private final int fps;

    private H264Clip(List<AccessUnit> accessUnits, byte[] sps, byte[] pps, int fps) {
        this.accessUnits = List.copyOf(accessUnits);
        this.sps = sps;
        this.pps = pps;
        this.fps = fps;
    }

    /** Reads and parses an Annex B file; {@code fps} is the frame rate the clip is played at. */
    public static H264Clip read(Path file, int fps) throws IOException {
        return parse(Files.readAllBytes(file), fps);
    }

    /**
     * Splits an Annex B byte stream into access units: a new access unit starts at an AUD, or at an SPS, PPS, SEI
     * or first slice of a picture (first_mb_in_slice = 0) once the current one already holds a slice.
     *
     * @throws IllegalArgumentException when the stream has no SPS/PPS, no picture, or does not start on an IDR
     */
    public static H264Clip parse(byte[] annexB, int fps) {
        if (fps < 1) {
            throw new IllegalArgumentException("fps must be positive: " + fps);
        }
        List<byte[]> nals = splitAnnexB(annexB);
        byte[] sps = null;
        byte[] pps = null;
        List<AccessUnit> units = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        boolean currentHasSlice = false;
        for (byte[] nal : nals) {
            int type = nal[0] & 0x1F;
            boolean isSlice = type == NAL_SLICE || type == NAL_IDR;
            boolean startsNew = type == NAL_AUD
                    || (currentHasSlice && (type == NAL_SPS || type == NAL_PPS || type == NAL_SEI
                    || (isSlice && firstMbInSliceIsZero(nal))));
            if (startsNew && currentHasSlice) {
                units.add(finish(current, sps, pps));
                current = new ArrayList<>();
                currentHasSlice = false;
            }
            switch (type) {
                case NAL_AUD -> { }
                case NAL_SPS -> {
                    sps = nal;
                    current.add(nal);
                }
                case NAL_PPS -> {
                    pps = nal;
                    current.add(nal);
                }
                default -> current.add(nal);
            }
            currentHasSlice |= isSlice;
        }
        if (currentHasSlice) {
            units.add(finish(current, sps, pps));
        }
        if (sps == null || pps == null) {
            throw new IllegalArgumentException("the stream has no SPS/PPS");
        }
        if (units.isEmpty()) {
            throw new IllegalArgumentException("the stream holds no picture");
        }
        if (!units.get(0).idr()) {
            throw new IllegalArgumentException("the clip must start with an IDR picture (clean loop seam)");
        }
        return new H264Clip(units, sps, pps, fps);
    }

    private static AccessUnit finish(List<byte[]> nals, byte[] sps, byte[] pps) {
        boolean idr = nals.stream().anyMatch(n -> (n[0] & 0x1F) == NAL_IDR);
        if (!idr) {
            return new AccessUnit(nals, false);
        }
        boolean hasSps = nals.stream().anyMatch(n -> (n[0] & 0x1F) == NAL_SPS);
        boolean hasPps = nals.stream().anyMatch(n -> (n[0] & 0x1F) == NAL_PPS);
        if (hasSps && hasPps) {
            return new AccessUnit(nals, true);
        }
        if (sps == null || pps == null) {
            throw new IllegalArgumentException("IDR picture before any SPS/PPS");
        }
        List<byte[]> withHeaders = new ArrayList<>();
        if (!hasSps) {
            withHeaders.add(sps);
        }
        if (!hasPps) {
            withHeaders.add(pps);
        }
        withHeaders.addAll(nals);
        return new AccessUnit(withHeaders, true);
    }

    /** first_mb_in_slice is ue(v) right after the 1-byte NAL header; it is 0 exactly when its first bit is 1. */
    private static boolean firstMbInSliceIsZero(byte[] nal) {
        return nal.length > 1 && (nal[1] & 0x80) != 0;
    }

    /** NAL units of an Annex B stream, without their 3- or 4-byte start codes; empty units are skipped. */
    static List<byte[]> splitAnnexB(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 2 < data.length) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                if (start >= 0) {
                    addNal(out, data, start, i);
                }
                start = i + 3;
                i += 3;
            } else {
                i++;
            }
        }
        if (start >= 0) {
            addNal(out, data, start, data.length);
        }
        return out;
    }

    private static void addNal(List<byte[]> out, byte[] data, int from, int to) {
        int end = to;
        while (end > from && data[end - 1] == 0) {
            end--; // trailing zero bytes belong to the next 4-byte start code (or are trailing_zero_8bits)
        }
        if (end > from) {
            out.add(Arrays.copyOfRange(data, from, end));
        }
    }

    public List<AccessUnit> accessUnits() {
        return accessUnits;
    }

    public int size() {
        return accessUnits.size();
    }

    public AccessUnit accessUnit(int index) {
        return accessUnits.get(index);
    }

    public int fps() {
        return fps;
    }

    public byte[] sps() {
        return sps.clone();
    }

    public byte[] pps() {
        return pps.clone();
    }

    /** The clip's parameter sets as the rtsp library's decoder configuration record. */
    public AvcConfig avcConfig() {
        return AvcConfig.of(List.of(sps), List.of(pps));
    }

    /** The clip's stream format (codec, picture size from the SPS, decoder configuration), as the SDP announces it. */
    public VideoFormat format() {
        return avcConfig().toFormat();
    }

    /** RFC 6184 profile-level-id: the three bytes after the SPS NAL header, in hex (e.g. {@code 42c01f}). */
    public String profileLevelId() {
        return avcConfig().profileLevelId();
    }

    /** RFC 6184 sprop-parameter-sets: base64 SPS, comma, base64 PPS. */
    public String spropParameterSets() {
        return avcConfig().spropParameterSets();
    }

    /** Average bit rate of the clip at its frame rate, in bits per second. */
    public long bitrate() {
        long bytes = 0;
        for (AccessUnit au : accessUnits) {
            bytes += au.size();
        }
        return bytes * 8L * fps / accessUnits.size();
    }
}
