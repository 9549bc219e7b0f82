package org.vigie.media.rtp;

import java.util.Locale;
import java.util.Optional;

/**
 * One transport a client asks for in a SETUP {@code Transport} header (RFC 2326 section 12.39), restricted to what
 * the simulator and the server serve: RTP/AVP over UDP unicast, and RTP/AVP/TCP interleaved in the RTSP connection.
 *
 * @param tcp        true for interleaved TCP
 * @param rtpChannel interleaved channel of RTP (TCP), RTCP uses {@code rtcpChannel}
 * @param clientRtpPort client's RTP port (UDP), RTCP goes to {@code clientRtcpPort}
 */
public record TransportSpec(boolean tcp, int rtpChannel, int rtcpChannel, int clientRtpPort, int clientRtcpPort) {

    /**
     * The first supported alternative of a {@code Transport} header, or empty when none is supported (multicast,
     * unknown profile, UDP without client_port).
     */
    public static Optional<TransportSpec> choose(String header) {
        if (header == null) {
            return Optional.empty();
        }
        for (String alternative : header.split(",")) {
            Optional<TransportSpec> t = parseOne(alternative.trim());
            if (t.isPresent()) {
                return t;
            }
        }
        return Optional.empty();
    }

    private static Optional<TransportSpec> parseOne(String s) {
        String[] parts = s.split(";");
        String profile = parts[0].trim().toUpperCase(Locale.ROOT);
        boolean tcp;
        if (profile.equals("RTP/AVP/TCP")) {
            tcp = true;
        } else if (profile.equals("RTP/AVP") || profile.equals("RTP/AVP/UDP")) {
            tcp = false;
        } else {
            return Optional.empty();
        }
        int[] interleaved = null;
        int[] clientPort = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            String lower = p.toLowerCase(Locale.ROOT);
            if (lower.equals("multicast")) {
                return Optional.empty();
            } else if (lower.startsWith("interleaved=")) {
                interleaved = range(p.substring(12), 255);
            } else if (lower.startsWith("client_port=")) {
                clientPort = range(p.substring(12), 65535);
            }
        }
        if (tcp) {
            int[] ch = interleaved != null ? interleaved : new int[] {0, 1};
            return Optional.of(new TransportSpec(true, ch[0], ch[1], 0, 0));
        }
        if (clientPort == null || clientPort[0] == 0) {
            return Optional.empty();
        }
        return Optional.of(new TransportSpec(false, 0, 0, clientPort[0], clientPort[1]));
    }

    /** "a-b" or "a" (then b = a + 1); null when malformed or out of [0, max]. */
    private static int[] range(String v, int max) {
        try {
            String[] ab = v.trim().split("-");
            int a = Integer.parseInt(ab[0].trim());
            int b = ab.length > 1 ? Integer.parseInt(ab[1].trim()) : a + 1;
            if (a < 0 || b < 0 || a > max || b > max) {
                return null;
            }
            return new int[] {a, b};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The {@code Transport} header value of the SETUP answer. */
    public String answer(int ssrc, int serverRtpPort, int serverRtcpPort) {
        String ssrcHex = String.format("%08X", ssrc);
        if (tcp) {
            return "RTP/AVP/TCP;unicast;interleaved=" + rtpChannel + "-" + rtcpChannel + ";ssrc=" + ssrcHex;
        }
        return "RTP/AVP;unicast;client_port=" + clientRtpPort + "-" + clientRtcpPort + ";server_port="
                + serverRtpPort + "-" + serverRtcpPort + ";ssrc=" + ssrcHex;
    }
}
