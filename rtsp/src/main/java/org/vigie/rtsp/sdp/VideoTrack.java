package org.vigie.rtsp.sdp;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.vigie.media.Codec;
import org.vigie.rtsp.RtspParseException;

/**
 * The video track an ingest client records, read from its SDP media section: codec, payload type, clock rate, the
 * parameter sets the SDP announces (H.264 {@code sprop-parameter-sets}, RFC 6184 section 8.1; H.265
 * {@code sprop-vps}, {@code sprop-sps}, {@code sprop-pps}, RFC 7798 section 7.1) and the control URL. Parameter
 * sets that do not decode are left out: cameras send them in band as well, and the depacketizer takes those.
 * Immutable.
 *
 * @param vps H.265 only; empty for H.264
 */
public record VideoTrack(Codec codec, int payloadType, int clockRate, List<byte[]> vps, List<byte[]> sps,
                         List<byte[]> pps, String controlUrl) {

    /** The encoding names of {@code a=rtpmap} this client records. */
    public static final List<String> ENCODINGS = List.of("H264", "H265");

    public VideoTrack {
        vps = List.copyOf(vps);
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
    }

    /**
     * The track of a media section.
     *
     * @throws UnsupportedTrackException for what the Java client does not handle: H.264 interleaved mode
     *                                   (packetization-mode 2), H.265 with decoding order numbers
     *                                   (sprop-max-don-diff above 0), a clock rate other than 90 kHz
     */
    public static VideoTrack of(MediaDescription m, String baseUrl) {
        Codec codec = switch (m.encoding()) {
            case "H264" -> Codec.H264;
            case "H265" -> Codec.H265;
            default -> throw new UnsupportedTrackException("encoding " + RtspParseException.excerpt(m.encoding())
                    + " is not recorded by the Java client");
        };
        if (m.clockRate() != 90_000) {
            throw new UnsupportedTrackException("video clock rate " + m.clockRate() + " (expected 90000)");
        }
        List<byte[]> vps = List.of();
        List<byte[]> sps;
        List<byte[]> pps;
        if (codec == Codec.H264) {
            String mode = m.fmtp("packetization-mode");
            if (mode != null && !mode.equals("0") && !mode.equals("1")) {
                throw new UnsupportedTrackException("H.264 packetization-mode " + RtspParseException.excerpt(mode));
            }
            List<byte[]> all = decodeList(m.fmtp("sprop-parameter-sets"));
            sps = new ArrayList<>();
            pps = new ArrayList<>();
            for (byte[] nal : all) {
                int type = nal[0] & 0x1F;
                if (type == 7) {
                    sps.add(nal);
                } else if (type == 8) {
                    pps.add(nal);
                }
            }
        } else {
            String don = m.fmtp("sprop-max-don-diff");
            if (don != null && !don.equals("0")) {
                throw new UnsupportedTrackException("H.265 with decoding order numbers (sprop-max-don-diff=" +
                        RtspParseException.excerpt(don) + ")");
            }
            vps = decodeList(m.fmtp("sprop-vps"));
            sps = decodeList(m.fmtp("sprop-sps"));
            pps = decodeList(m.fmtp("sprop-pps"));
        }
        return new VideoTrack(codec, m.payloadType(), m.clockRate(), vps, sps, pps,
                SessionDescription.controlUrl(baseUrl, m.control()));
    }

    /** Base64 parameter sets, comma-separated; undecodable or empty ones are skipped. */
    static List<byte[]> decodeList(String value) {
        List<byte[]> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",")) {
            String t = part.strip();
            if (t.isEmpty() || out.size() >= 16) {
                continue;
            }
            try {
                byte[] nal = Base64.getDecoder().decode(t);
                if (nal.length >= 2) {
                    out.add(nal);
                }
            } catch (IllegalArgumentException e) {
                // skipped: in-band parameter sets will do
            }
        }
        return out;
    }
}
