package org.vigie.rtsp.codec;

import org.vigie.rtsp.RtspParseException;

/**
 * What this project reads from an H.265 sequence parameter set (ITU-T H.265 section 7.3.2.2): the general
 * profile_tier_level (copied into {@code hvcC}), chroma format, bit depths, temporal layers and the displayed
 * picture size (conformance window applied). Immutable.
 *
 * @param profileTierLevel the 12 bytes of general_profile_space .. general_level_idc, as {@code hvcC} stores them
 */
public record H265Sps(byte[] profileTierLevel, int maxSubLayers, boolean temporalIdNesting, int chromaFormat,
                      int bitDepthLuma, int bitDepthChroma, int width, int height) {

    /** Parses an SPS NAL unit (2-byte header included, type 33). */
    public static H265Sps parse(byte[] nal) {
        if (nal.length < 4 || ((nal[0] >> 1) & 0x3F) != 33) {
            throw new RtspParseException("not an H.265 SPS");
        }
        BitReader r = new BitReader(nal, 2, nal.length - 2);
        r.skip(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = r.u(3);
        if (maxSubLayersMinus1 > 6) {
            throw new RtspParseException("H.265 SPS: sps_max_sub_layers_minus1 out of range");
        }
        boolean nesting = r.flag();
        byte[] ptl = new byte[12];
        for (int i = 0; i < 12; i++) {
            ptl[i] = (byte) r.u(8); // profile space/tier/idc, 32 compatibility flags, 48 constraint bits, level
        }
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = r.flag();
            levelPresent[i] = r.flag();
        }
        if (maxSubLayersMinus1 > 0) {
            for (int i = maxSubLayersMinus1; i < 8; i++) {
                r.skip(2);
            }
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (profilePresent[i]) {
                r.skip(88);
            }
            if (levelPresent[i]) {
                r.skip(8);
            }
        }
        r.ue(15, "sps_seq_parameter_set_id");
        int chromaFormat = r.ue(3, "chroma_format_idc");
        if (chromaFormat == 3) {
            r.skip(1); // separate_colour_plane_flag
        }
        int width = r.ue(16888, "pic_width_in_luma_samples");
        int height = r.ue(16888, "pic_height_in_luma_samples");
        if (r.flag()) { // conformance_window_flag
            int subWidthC = chromaFormat == 1 || chromaFormat == 2 ? 2 : 1;
            int subHeightC = chromaFormat == 1 ? 2 : 1;
            int left = r.ue(8192, "conf_win_left_offset");
            int right = r.ue(8192, "conf_win_right_offset");
            int top = r.ue(8192, "conf_win_top_offset");
            int bottom = r.ue(8192, "conf_win_bottom_offset");
            width -= subWidthC * (left + right);
            height -= subHeightC * (top + bottom);
        }
        int bitDepthLuma = r.ue(8, "bit_depth_luma_minus8") + 8;
        int bitDepthChroma = r.ue(8, "bit_depth_chroma_minus8") + 8;
        if (width <= 0 || height <= 0) {
            throw new RtspParseException("H.265 SPS: no picture");
        }
        return new H265Sps(ptl, maxSubLayersMinus1 + 1, nesting, chromaFormat, bitDepthLuma, bitDepthChroma, width,
                height);
    }

    @Override
    public byte[] profileTierLevel() {
        return profileTierLevel.clone();
    }
}
