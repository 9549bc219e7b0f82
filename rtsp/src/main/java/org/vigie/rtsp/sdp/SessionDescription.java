package org.vigie.rtsp.sdp;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vigie.rtsp.RtspLimits;
import org.vigie.rtsp.RtspLimitException;
import org.vigie.rtsp.RtspParseException;

/**
 * An SDP (RFC 4566) as an RTSP DESCRIBE answers it, read leniently the way cameras write it (LF or CRLF line ends,
 * unknown lines ignored, attributes in any order) but strictly where the client depends on it ({@code m=},
 * {@code a=rtpmap}). Immutable.
 *
 * @param sessionControl the session-level {@code a=control}, or null
 * @param media          the media sections, in order
 */
public record SessionDescription(String sessionControl, List<MediaDescription> media) {

    public SessionDescription {
        media = List.copyOf(media);
    }

    /** Parses an SDP body (UTF-8, at most {@link RtspLimits#MAX_BODY} bytes). */
    public static SessionDescription parse(byte[] body) {
        if (body.length > RtspLimits.MAX_BODY) {
            throw new RtspLimitException("SDP larger than " + RtspLimits.MAX_BODY + " bytes");
        }
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    public static SessionDescription parse(String sdp) {
        String sessionControl = null;
        List<MediaDescription> media = new ArrayList<>();
        Builder current = null;
        boolean sawVersion = false;
        for (String raw : sdp.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new RtspParseException("SDP: not a type=value line: " + RtspParseException.excerpt(line));
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            switch (type) {
                case 'v' -> sawVersion = true;
                case 'm' -> {
                    if (current != null) {
                        media.add(current.build());
                    }
                    if (media.size() >= 64) {
                        throw new RtspParseException("SDP: too many media sections");
                    }
                    current = Builder.ofMediaLine(value);
                }
                case 'a' -> {
                    int colon = value.indexOf(':');
                    String name = (colon < 0 ? value : value.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
                    String attr = colon < 0 ? "" : value.substring(colon + 1).trim();
                    if (current == null) {
                        if (name.equals("control")) {
                            sessionControl = attr;
                        }
                    } else {
                        current.attribute(name, attr);
                    }
                }
                default -> {
                    // o, s, c, t, b, i, u, e, p, k, z, r: not needed by a client
                }
            }
        }
        if (current != null) {
            media.add(current.build());
        }
        if (!sawVersion && media.isEmpty()) {
            throw new RtspParseException("SDP: neither v= nor m= line");
        }
        return new SessionDescription(sessionControl, media);
    }

    /** The first video section whose encoding is one of {@code encodings} (upper case), or null. */
    public MediaDescription firstVideo(List<String> encodings) {
        for (MediaDescription m : media) {
            if (m.isVideo() && encodings.contains(m.encoding())) {
                return m;
            }
        }
        return null;
    }

    /**
     * Resolves a control attribute against the base URL (RFC 2326 appendix C.1.1): {@code *} or nothing is the
     * base itself; an absolute {@code rtsp://} or {@code rtsps://} URL is taken as is; a path starting with
     * {@code /} replaces the base's path; anything else is appended to the base, with a {@code /} between them
     * unless the base ends with one. Appending (rather than RFC 3986 resolution, which would drop the base's last
     * path segment) is what cameras expect: Dahua's base {@code .../realmonitor?channel=1&subtype=0/} with control
     * {@code trackID=0}, or a base without its trailing slash.
     */
    public static String controlUrl(String base, String control) {
        if (control == null || control.isEmpty() || control.equals("*")) {
            return base;
        }
        String lower = control.toLowerCase(Locale.ROOT);
        if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://")) {
            return control;
        }
        if (control.startsWith("/")) {
            try {
                URI b = new URI(base);
                return b.getScheme() + "://" + b.getRawAuthority() + control;
            } catch (URISyntaxException | RuntimeException e) {
                throw new RtspParseException("SDP: cannot resolve control " + RtspParseException.excerpt(control));
            }
        }
        return base.endsWith("/") ? base + control : base + "/" + control;
    }

    /** Collects one media section's lines. */
    private static final class Builder {
        private final String media;
        private final String protocol;
        private final List<Integer> payloadTypes;
        private final Map<Integer, String> rtpmaps = new LinkedHashMap<>();
        private final Map<Integer, String> fmtps = new LinkedHashMap<>();
        private String control;

        private Builder(String media, String protocol, List<Integer> payloadTypes) {
            this.media = media;
            this.protocol = protocol;
            this.payloadTypes = payloadTypes;
        }

        /** {@code <media> <port>[/<n>] <proto> <fmt> ...}. */
        static Builder ofMediaLine(String value) {
            String[] f = value.trim().split("\\s+");
            if (f.length < 4) {
                throw new RtspParseException("SDP: bad m= line " + RtspParseException.excerpt(value));
            }
            List<Integer> pts = new ArrayList<>();
            for (int i = 3; i < f.length && pts.size() < 32; i++) {
                try {
                    pts.add(payloadType(f[i], value));
                } catch (RtspParseException e) {
                    // a non-RTP format of a section the client does not use
                }
            }
            return new Builder(f[0].toLowerCase(Locale.ROOT), f[2].toUpperCase(Locale.ROOT), pts);
        }

        void attribute(String name, String value) {
            switch (name) {
                case "control" -> control = value;
                case "rtpmap", "fmtp" -> {
                    int space = value.indexOf(' ');
                    if (space < 0) {
                        if (name.equals("fmtp")) {
                            return; // "a=fmtp:96" with nothing: nothing to keep
                        }
                        throw new RtspParseException("SDP: bad a=" + name + " " + RtspParseException.excerpt(value));
                    }
                    int pt = payloadType(value.substring(0, space), value);
                    (name.equals("rtpmap") ? rtpmaps : fmtps).putIfAbsent(pt, value.substring(space + 1).trim());
                }
                default -> {
                    // framerate, range, recvonly, x-dimensions...: not needed
                }
            }
        }

        MediaDescription build() {
            int pt = payloadTypes.isEmpty() ? -1 : payloadTypes.get(0);
            String encoding = "";
            int clockRate = 0;
            String map = rtpmaps.get(pt);
            if (map != null) {
                String[] parts = map.split("/");
                encoding = parts[0].trim().toUpperCase(Locale.ROOT);
                if (parts.length < 2) {
                    throw new RtspParseException("SDP: rtpmap without clock rate " + RtspParseException.excerpt(map));
                }
                try {
                    clockRate = Integer.parseInt(parts[1].trim());
                } catch (NumberFormatException e) {
                    throw new RtspParseException("SDP: bad clock rate " + RtspParseException.excerpt(map));
                }
                if (clockRate <= 0) {
                    throw new RtspParseException("SDP: bad clock rate " + RtspParseException.excerpt(map));
                }
            }
            Map<String, String> fmtp = new LinkedHashMap<>();
            String params = fmtps.get(pt);
            if (params != null) {
                for (String p : params.split(";")) {
                    String t = p.trim();
                    if (t.isEmpty()) {
                        continue;
                    }
                    int eq = t.indexOf('=');
                    String k = (eq < 0 ? t : t.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                    fmtp.putIfAbsent(k, eq < 0 ? "" : t.substring(eq + 1).trim());
                }
            }
            return new MediaDescription(media, protocol, payloadTypes, pt, encoding, clockRate, fmtp, control);
        }

        private static int payloadType(String s, String line) {
            try {
                int pt = Integer.parseInt(s.trim());
                if (pt < 0 || pt > 127) {
                    throw new NumberFormatException();
                }
                return pt;
            } catch (NumberFormatException e) {
                throw new RtspParseException("SDP: bad payload type in " + RtspParseException.excerpt(line));
            }
        }
    }
}
