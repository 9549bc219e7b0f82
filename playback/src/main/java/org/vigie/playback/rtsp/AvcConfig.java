package org.vigie.playback.rtsp;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The parameter sets of an {@code AVCDecoderConfigurationRecord} (ISO/IEC 14496-15 section 5.3.3.1), as the SDP of
 * RFC 6184 section 8.1 needs them: {@code profile-level-id} and {@code sprop-parameter-sets}. Immutable.
 */
public record AvcConfig(int profile, int compatibility, int level, List<byte[]> sps, List<byte[]> pps) {

    public AvcConfig {
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
    }

    /** Parses a record; IllegalArgumentException when truncated or not version 1. */
    public static AvcConfig parse(byte[] avcC) {
        try {
            if (avcC[0] != 1) throw new IllegalArgumentException("avcC version " + avcC[0] + " (expected 1)");
            int pos = 5;
            int nSps = avcC[pos++] & 0x1F;
            List<byte[]> sps = new ArrayList<>();
            for (int i = 0; i < nSps; i++) {
                int len = ((avcC[pos] & 0xFF) << 8) | (avcC[pos + 1] & 0xFF);
                sps.add(java.util.Arrays.copyOfRange(avcC, pos + 2, checkedEnd(avcC, pos + 2, len)));
                pos += 2 + len;
            }
            int nPps = avcC[pos++] & 0xFF;
            List<byte[]> pps = new ArrayList<>();
            for (int i = 0; i < nPps; i++) {
                int len = ((avcC[pos] & 0xFF) << 8) | (avcC[pos + 1] & 0xFF);
                pps.add(java.util.Arrays.copyOfRange(avcC, pos + 2, checkedEnd(avcC, pos + 2, len)));
                pos += 2 + len;
            }
            if (sps.isEmpty() || pps.isEmpty()) throw new IllegalArgumentException("avcC without SPS or PPS");
            return new AvcConfig(avcC[1] & 0xFF, avcC[2] & 0xFF, avcC[3] & 0xFF, sps, pps);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated avcC", e);
        }
    }

    private static int checkedEnd(byte[] a, int from, int len) {
        if (from + len > a.length) throw new IllegalArgumentException("truncated avcC parameter set");
        return from + len;
    }

    /** Six hex digits: profile_idc, constraint flags, level_idc. */
    public String profileLevelId() {
        return HexFormat.of().formatHex(new byte[] {(byte) profile, (byte) compatibility, (byte) level});
    }

    /** Base64 SPS and PPS, comma-separated. */
    public String spropParameterSets() {
        List<String> parts = new ArrayList<>();
        for (byte[] s : sps) parts.add(Base64.getEncoder().encodeToString(s));
        for (byte[] p : pps) parts.add(Base64.getEncoder().encodeToString(p));
        return String.join(",", parts);
    }
}
