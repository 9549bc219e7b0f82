package org.vigie.rtsp.codec;

import org.vigie.rtsp.RtspParseException;

/**
 * What this project reads from an H.264 sequence parameter set (ITU-T H.264 section 7.3.2.1.1): profile,
 * constraint flags and level (for {@code avcC} and {@code profile-level-id}), the displayed picture size (coded
 * size minus the frame cropping) and the frame rate the VUI's timing information declares. Immutable.
 *
 * @param frameRate frames a second, {@code time_scale / (2 * num_units_in_tick)} of the VUI (Annex E.2.1, one frame
 *                  being two fields' ticks), or 0 when the SPS does not say (no VUI, no timing information, a
 *                  truncated VUI)
 */
public record H264Sps(int profileIdc, int constraintFlags, int levelIdc, int width, int height, double frameRate) {

    /** An SPS that declares no frame rate. */
    public H264Sps(int profileIdc, int constraintFlags, int levelIdc, int width, int height) {
        this(profileIdc, constraintFlags, levelIdc, width, height, 0);
    }

    /** Parses an SPS NAL unit (header byte included, type 7). */
    public static H264Sps parse(byte[] nal) {
        if (nal.length < 4 || (nal[0] & 0x1F) != 7) {
            throw new RtspParseException("not an H.264 SPS");
        }
        BitReader r = new BitReader(nal, 1, nal.length - 1);
        int profile = r.u(8);
        int constraints = r.u(8);
        int level = r.u(8);
        r.ue(31, "seq_parameter_set_id");
        int chromaFormat = 1;
        boolean separateColourPlane = false;
        if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83
                || profile == 86 || profile == 118 || profile == 128 || profile == 138 || profile == 139
                || profile == 134 || profile == 135) {
            chromaFormat = r.ue(3, "chroma_format_idc");
            if (chromaFormat == 3) {
                separateColourPlane = r.flag();
            }
            r.ue(6, "bit_depth_luma_minus8");
            r.ue(6, "bit_depth_chroma_minus8");
            r.skip(1); // qpprime_y_zero_transform_bypass_flag
            if (r.flag()) { // seq_scaling_matrix_present_flag
                int lists = chromaFormat != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    if (r.flag()) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.ue(12, "log2_max_frame_num_minus4");
        int pocType = r.ue(2, "pic_order_cnt_type");
        if (pocType == 0) {
            r.ue(12, "log2_max_pic_order_cnt_lsb_minus4");
        } else if (pocType == 1) {
            r.skip(1);
            r.se();
            r.se();
            int cycle = r.ue(255, "num_ref_frames_in_pic_order_cnt_cycle");
            for (int i = 0; i < cycle; i++) {
                r.se();
            }
        }
        r.ue(32, "max_num_ref_frames");
        r.skip(1); // gaps_in_frame_num_value_allowed_flag
        int widthMbs = r.ue(1023, "pic_width_in_mbs_minus1") + 1;
        int heightMapUnits = r.ue(1023, "pic_height_in_map_units_minus1") + 1;
        boolean frameMbsOnly = r.flag();
        if (!frameMbsOnly) {
            r.skip(1); // mb_adaptive_frame_field_flag
        }
        r.skip(1); // direct_8x8_inference_flag
        int width = widthMbs * 16;
        int height = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16;
        if (r.flag()) { // frame_cropping_flag
            int left = r.ue(8192, "frame_crop_left_offset");
            int right = r.ue(8192, "frame_crop_right_offset");
            int top = r.ue(8192, "frame_crop_top_offset");
            int bottom = r.ue(8192, "frame_crop_bottom_offset");
            int chromaArrayType = separateColourPlane ? 0 : chromaFormat;
            int cropX;
            int cropY;
            if (chromaArrayType == 0) {
                cropX = 1;
                cropY = frameMbsOnly ? 1 : 2;
            } else {
                int subWidthC = chromaArrayType == 3 ? 1 : 2;
                int subHeightC = chromaArrayType == 1 ? 2 : 1;
                cropX = subWidthC;
                cropY = subHeightC * (frameMbsOnly ? 1 : 2);
            }
            width -= cropX * (left + right);
            height -= cropY * (top + bottom);
        }
        if (width <= 0 || height <= 0) {
            throw new RtspParseException("H.264 SPS: cropping leaves no picture");
        }
        return new H264Sps(profile, constraints, level, width, height, frameRate(r));
    }

    /** The VUI's frame rate (Annex E.1.1 up to {@code timing_info}), 0 when absent or unreadable. */
    private static double frameRate(BitReader r) {
        try {
            if (!r.flag()) return 0; // vui_parameters_present_flag
            if (r.flag()) { // aspect_ratio_info_present_flag
                if (r.u(8) == 255) { // Extended_SAR
                    r.skip(32); // sar_width, sar_height
                }
            }
            if (r.flag()) { // overscan_info_present_flag
                r.skip(1);
            }
            if (r.flag()) { // video_signal_type_present_flag
                r.skip(4); // video_format, video_full_range_flag
                if (r.flag()) { // colour_description_present_flag
                    r.skip(24);
                }
            }
            if (r.flag()) { // chroma_loc_info_present_flag
                r.ue(5, "chroma_sample_loc_type_top_field");
                r.ue(5, "chroma_sample_loc_type_bottom_field");
            }
            if (!r.flag()) return 0; // timing_info_present_flag
            long unitsInTick = r.bits(32);
            long timeScale = r.bits(32);
            return unitsInTick == 0 || timeScale == 0 ? 0 : timeScale / (2.0 * unitsInTick);
        } catch (RtspParseException e) {
            return 0; // a VUI cut short says nothing of the rate; the picture size above stands
        }
    }

    private static void skipScalingList(BitReader r, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                int delta = r.se();
                next = Math.floorMod(last + delta + 256, 256);
            }
            last = next == 0 ? last : next;
        }
    }

    /** Six hex digits for SDP's {@code profile-level-id}: profile_idc, constraint flags, level_idc. */
    public String profileLevelId() {
        return String.format("%02x%02x%02x", profileIdc, constraintFlags, levelIdc);
    }
}
