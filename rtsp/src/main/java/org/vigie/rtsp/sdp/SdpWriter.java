package org.vigie.rtsp.sdp;

import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;
import org.vigie.rtsp.codec.AvcConfig;
import org.vigie.rtsp.codec.HevcConfig;

/**
 * The SDP an RTSP server of this project answers to DESCRIBE (the simulator's cameras, the re-stream): one video
 * stream, dynamic payload type {@value #PAYLOAD_TYPE}, its parameter sets from the stream's decoder configuration
 * (H.264: {@code packetization-mode=1}, {@code profile-level-id}, {@code sprop-parameter-sets}; H.265:
 * {@code sprop-vps/sps/pps}), and the track's control URL relative to the Content-Base. Stateless.
 */
public final class SdpWriter {

    /** The RTP payload type of the video track. */
    public static final int PAYLOAD_TYPE = 96;
    /** The control attribute of the one video track: SETUP goes to {@code <content-base>trackID=0}. */
    public static final String TRACK_CONTROL = "trackID=0";

    private SdpWriter() {
    }

    /**
     * @param title        the {@code s=} line
     * @param hostAddress  the server's address as the client reached it ({@code o=} line)
     * @param sessionId    the {@code o=} session id
     * @param range        the session's {@code a=range} ({@code npt=now-} live, {@code clock=...} archive)
     * @param format       the stream's format: codec and parameter sets
     * @param control      the track's control attribute, e.g. {@code trackID=0}
     * @param kbps         the {@code b=AS} bandwidth in kbit/s, or 0 to leave it out
     * @param fps          the {@code a=framerate}, or 0 to leave it out
     */
    public static String video(String title, String hostAddress, long sessionId, String range, VideoFormat format,
                               String control, long kbps, int fps) {
        String ipVersion = hostAddress.contains(":") ? "IP6" : "IP4";
        StringBuilder b = new StringBuilder(512)
                .append("v=0\r\n")
                .append("o=- ").append(sessionId).append(" 1 IN ").append(ipVersion).append(' ').append(hostAddress)
                .append("\r\n")
                .append("s=").append(title.replace('\r', ' ').replace('\n', ' ')).append("\r\n")
                .append("c=IN ").append(ipVersion).append(ipVersion.equals("IP6") ? " ::" : " 0.0.0.0").append("\r\n")
                .append("t=0 0\r\n")
                .append("a=control:*\r\n")
                .append("a=range:").append(range).append("\r\n")
                .append("m=video 0 RTP/AVP ").append(PAYLOAD_TYPE).append("\r\n");
        if (kbps > 0) {
            b.append("b=AS:").append(kbps).append("\r\n");
        }
        if (format.codec() == Codec.H264) {
            AvcConfig avc = AvcConfig.parse(format.decoderConfig());
            b.append("a=rtpmap:").append(PAYLOAD_TYPE).append(" H264/90000\r\n")
                    .append("a=fmtp:").append(PAYLOAD_TYPE).append(" packetization-mode=1;profile-level-id=")
                    .append(avc.profileLevelId()).append(";sprop-parameter-sets=").append(avc.spropParameterSets())
                    .append("\r\n");
        } else {
            HevcConfig hevc = HevcConfig.parse(format.decoderConfig());
            b.append("a=rtpmap:").append(PAYLOAD_TYPE).append(" H265/90000\r\n")
                    .append("a=fmtp:").append(PAYLOAD_TYPE).append(" sprop-vps=").append(hevc.sprop(32))
                    .append(";sprop-sps=").append(hevc.sprop(33)).append(";sprop-pps=").append(hevc.sprop(34))
                    .append("\r\n");
        }
        b.append("a=framesize:").append(PAYLOAD_TYPE).append(' ').append(format.width()).append('-')
                .append(format.height()).append("\r\n");
        if (fps > 0) {
            b.append("a=framerate:").append(fps).append("\r\n");
        }
        b.append("a=control:").append(control).append("\r\n");
        return b.toString();
    }
}
