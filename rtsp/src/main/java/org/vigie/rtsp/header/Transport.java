package org.vigie.rtsp.header;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.vigie.rtsp.RtspParseException;

/**
 * One transport of an RTSP {@code Transport} header (RFC 2326 section 12.39): what a client asks for in SETUP (a
 * header may list several, comma-separated, in order of preference) and what a server answers. The parameters this
 * project uses are typed; others are ignored. Immutable.
 *
 * <p>Examples: {@code RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=1A2B3C4D} (interleaved in the RTSP connection) and
 * {@code RTP/AVP;unicast;client_port=5000-5001;server_port=6970-6971;ssrc=1A2B3C4D} (UDP).
 *
 * @param profile     the transport protocol and profile, upper case: {@code RTP/AVP}, {@code RTP/SAVP}...
 * @param tcp         true for {@code RTP/AVP/TCP} (interleaved), false for UDP
 * @param multicast   true when {@code multicast} was given (unicast is the default when neither is)
 * @param interleaved the interleaved channel pair (RTP, RTCP), or null
 * @param clientPort  the client's UDP port pair, or null
 * @param serverPort  the server's UDP port pair, or null
 * @param ssrc        the SSRC the server will use, if announced
 * @param mode        the {@code mode} parameter without quotes, upper case ({@code PLAY} when absent)
 */
public record Transport(String profile, boolean tcp, boolean multicast, PortPair interleaved, PortPair clientPort,
                        PortPair serverPort, OptionalLong ssrc, String mode) {

    /** Two numbers {@code a-b}: RTP's and RTCP's port or interleaved channel. */
    public record PortPair(int rtp, int rtcp) {
        @Override
        public String toString() {
            return rtp + "-" + rtcp;
        }
    }

    /** What an ingest client asks for: RTP over the RTSP connection, channels 0 and 1. */
    public static Transport tcpInterleaved(int rtpChannel) {
        return new Transport("RTP/AVP", true, false, new PortPair(rtpChannel, rtpChannel + 1), null, null,
                OptionalLong.empty(), "PLAY");
    }

    /** Parses every alternative of a header value, in order. */
    public static List<Transport> parseList(String header) {
        if (header == null || header.isBlank()) {
            throw new RtspParseException("empty Transport header");
        }
        List<Transport> out = new ArrayList<>();
        for (String alternative : HeaderValues.splitOutsideQuotes(header, ',')) {
            if (!alternative.isBlank()) {
                out.add(parse(alternative));
            }
        }
        if (out.isEmpty()) {
            throw new RtspParseException("empty Transport header");
        }
        return out;
    }

    /** Parses one transport (no comma-separated alternatives). */
    public static Transport parse(String value) {
        List<String> parts = HeaderValues.splitOutsideQuotes(value.trim(), ';');
        String spec = parts.get(0).trim().toUpperCase(Locale.ROOT);
        String[] fields = spec.split("/", -1);
        if (fields.length < 2 || fields.length > 3 || !fields[0].equals("RTP") || fields[1].isEmpty()) {
            throw new RtspParseException("Transport: not an RTP transport: " + RtspParseException.excerpt(value));
        }
        boolean tcp;
        if (fields.length == 2 || fields[2].equals("UDP")) {
            tcp = false;
        } else if (fields[2].equals("TCP")) {
            tcp = true;
        } else {
            throw new RtspParseException("Transport: unknown lower transport " + RtspParseException.excerpt(fields[2]));
        }
        boolean multicast = false;
        PortPair interleaved = null;
        PortPair client = null;
        PortPair server = null;
        OptionalLong ssrc = OptionalLong.empty();
        String mode = "PLAY";
        for (int i = 1; i < parts.size(); i++) {
            String p = parts.get(i).trim();
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String v = eq < 0 ? "" : p.substring(eq + 1).trim();
            switch (name) {
                case "multicast" -> multicast = true;
                case "unicast" -> multicast = false;
                case "interleaved" -> interleaved = pair(name, v, 255);
                case "client_port" -> client = pair(name, v, 65535);
                case "server_port" -> server = pair(name, v, 65535);
                case "ssrc" -> ssrc = OptionalLong.of(ssrc(v));
                case "mode" -> mode = HeaderValues.unquote(v).toUpperCase(Locale.ROOT);
                default -> {
                    // source, destination, ttl, port, layers, append...: not used here
                }
            }
        }
        return new Transport(fields[0] + "/" + fields[1], tcp, multicast, interleaved, client, server, ssrc, mode);
    }

    /**
     * A server's choice among a client's alternatives: the first unicast RTP/AVP transport it can serve, TCP
     * interleaved (channels 0-1 when the client names none) or UDP with a client port pair. Empty when none fits
     * (461 Unsupported Transport); a malformed header is empty as well.
     */
    public static Optional<Transport> chooseForServer(String header) {
        if (header == null) {
            return Optional.empty();
        }
        List<String> alternatives = HeaderValues.splitOutsideQuotes(header, ',');
        for (String alternative : alternatives) {
            Transport t;
            try {
                t = parse(alternative);
            } catch (RtspParseException e) {
                continue;
            }
            if (t.multicast || !t.profile.equals("RTP/AVP") || !t.mode.equals("PLAY")) {
                continue;
            }
            if (t.tcp) {
                PortPair ch = t.interleaved != null ? t.interleaved : new PortPair(0, 1);
                return Optional.of(new Transport(t.profile, true, false, ch, null, null, OptionalLong.empty(), "PLAY"));
            }
            if (t.clientPort != null && t.clientPort.rtp() != 0) {
                return Optional.of(new Transport(t.profile, false, false, null, t.clientPort, null,
                        OptionalLong.empty(), "PLAY"));
            }
        }
        return Optional.empty();
    }

    /** The same transport with the server's SSRC and, for UDP, its port pair: a SETUP answer. */
    public Transport answer(int ssrc, PortPair serverPorts) {
        return new Transport(profile, tcp, multicast, interleaved, clientPort, tcp ? null : serverPorts,
                OptionalLong.of(ssrc & 0xFFFF_FFFFL), mode);
    }

    /** The header value, e.g. {@code RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=00001A2B}. */
    public String format() {
        StringBuilder b = new StringBuilder(profile);
        if (tcp) {
            b.append("/TCP");
        }
        b.append(multicast ? ";multicast" : ";unicast");
        if (interleaved != null) {
            b.append(";interleaved=").append(interleaved);
        }
        if (clientPort != null) {
            b.append(";client_port=").append(clientPort);
        }
        if (serverPort != null) {
            b.append(";server_port=").append(serverPort);
        }
        ssrc.ifPresent(s -> b.append(";ssrc=").append(String.format("%08X", s)));
        if (!mode.equals("PLAY")) {
            b.append(";mode=").append(mode);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    /** {@code a-b} or {@code a} (then b = a + 1), each within [0, max]. */
    private static PortPair pair(String name, String v, int max) {
        int dash = v.indexOf('-');
        int a = HeaderValues.parseInt(name, dash < 0 ? v : v.substring(0, dash), 0, max);
        int b = dash < 0 ? a + 1 : HeaderValues.parseInt(name, v.substring(dash + 1), 0, max);
        if (b > max) {
            throw new RtspParseException("Transport: " + name + " out of range: " + RtspParseException.excerpt(v));
        }
        return new PortPair(a, b);
    }

    /** RFC 2326 says 8 hex digits; some cameras send fewer. */
    private static long ssrc(String v) {
        String h = HeaderValues.unquote(v.trim());
        if (h.isEmpty() || h.length() > 8) {
            throw new RtspParseException("Transport: bad ssrc " + RtspParseException.excerpt(v));
        }
        long s = 0;
        for (int i = 0; i < h.length(); i++) {
            int d = Character.digit(h.charAt(i), 16);
            if (d < 0) {
                throw new RtspParseException("Transport: bad ssrc " + RtspParseException.excerpt(v));
            }
            s = (s << 4) | d;
        }
        return s;
    }
}
