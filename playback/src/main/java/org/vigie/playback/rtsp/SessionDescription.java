package org.vigie.playback.rtsp;

import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;

/**
 * The SDP (RFC 4566) answered to DESCRIBE: one H.264 video stream, dynamic payload type {@value #PAYLOAD_TYPE},
 * packetization-mode 1, {@code profile-level-id} and {@code sprop-parameter-sets} from the stream's
 * {@link VideoFormat} (RFC 6184 section 8.1), and the track control {@link RtspTarget#TRACK} relative to the
 * Content-Base. Archive sessions announce {@code a=range:clock=} of the available recording (ONVIF replay).
 * Stateless.
 */
public final class SessionDescription {

    public static final int PAYLOAD_TYPE = 96;

    private SessionDescription() {
    }

    /**
     * @param range the {@code a=range} value ({@code npt=now-} for live, {@code clock=...} for archive)
     * @throws IllegalArgumentException for a codec the re-stream does not packetize (H.265)
     */
    public static String of(String title, VideoFormat format, String hostAddress, long sessionId, String range) {
        if (format.codec() != Codec.H264) {
            throw new IllegalArgumentException("the RTSP re-stream serves H.264 only, this stream is " + format.codec());
        }
        AvcConfig avc = AvcConfig.parse(format.decoderConfig());
        String ipVersion = hostAddress.contains(":") ? "IP6" : "IP4";
        return "v=0\r\n"
                + "o=- " + sessionId + " 1 IN " + ipVersion + " " + hostAddress + "\r\n"
                + "s=" + title + "\r\n"
                + "c=IN " + ipVersion + " " + (ipVersion.equals("IP6") ? "::" : "0.0.0.0") + "\r\n"
                + "t=0 0\r\n"
                + "a=control:*\r\n"
                + "a=range:" + range + "\r\n"
                + "m=video 0 RTP/AVP " + PAYLOAD_TYPE + "\r\n"
                + "a=rtpmap:" + PAYLOAD_TYPE + " H264/90000\r\n"
                + "a=fmtp:" + PAYLOAD_TYPE + " packetization-mode=1;profile-level-id=" + avc.profileLevelId()
                + ";sprop-parameter-sets=" + avc.spropParameterSets() + "\r\n"
                + "a=framesize:" + PAYLOAD_TYPE + " " + format.width() + "-" + format.height() + "\r\n"
                + "a=control:" + RtspTarget.TRACK + "\r\n";
    }
}
