package org.vigie.simulator;

/**
 * The SDP (RFC 4566) a simulated camera answers to DESCRIBE: one H.264 video stream, dynamic payload type 96,
 * packetization-mode 1 with profile-level-id and sprop-parameter-sets from the clip (RFC 6184 section 8.1), and
 * the track's control URL relative to the Content-Base.
 */
public final class SessionDescription {

    /** The RTP payload type of the video track. */
    public static final int PAYLOAD_TYPE = 96;
    /** The track's control attribute: SETUP goes to {@code <content-base>trackID=0}. */
    public static final String TRACK_CONTROL = "trackID=0";

    private SessionDescription() {
    }

    public static String of(String cameraId, H264Clip clip, String hostAddress, long sessionVersion) {
        String ipVersion = hostAddress.contains(":") ? "IP6" : "IP4";
        long kbps = Math.max(1, clip.bitrate() / 1000);
        return "v=0\r\n"
                + "o=- " + sessionVersion + " 1 IN " + ipVersion + " " + hostAddress + "\r\n"
                + "s=Vigie simulated camera " + cameraId + "\r\n"
                + "c=IN " + ipVersion + " " + (ipVersion.equals("IP6") ? "::" : "0.0.0.0") + "\r\n"
                + "t=0 0\r\n"
                + "a=control:*\r\n"
                + "a=range:npt=now-\r\n"
                + "m=video 0 RTP/AVP " + PAYLOAD_TYPE + "\r\n"
                + "b=AS:" + kbps + "\r\n"
                + "a=rtpmap:" + PAYLOAD_TYPE + " H264/90000\r\n"
                + "a=fmtp:" + PAYLOAD_TYPE + " packetization-mode=1;profile-level-id=" + clip.profileLevelId()
                + ";sprop-parameter-sets=" + clip.spropParameterSets() + "\r\n"
                + "a=framerate:" + clip.fps() + "\r\n"
                + "a=control:" + TRACK_CONTROL + "\r\n";
    }
}
