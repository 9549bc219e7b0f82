package org.vigie.rtsp.header;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.vigie.rtsp.RtspParseException;

/**
 * One stream of an RTSP {@code RTP-Info} header (RFC 2326 section 12.33), sent in a PLAY answer: the stream's URL,
 * the sequence number of its first packet and the RTP timestamp that corresponds to the start of the range. Cameras
 * put {@code ;} and {@code ?} inside the URL (Axis: {@code .../trackID=1?videocodec=h264}), so only the known
 * parameters {@code seq}, {@code rtptime} and {@code ssrc} are split off; the rest is the URL. Immutable.
 *
 * @param url     the stream URL as given
 * @param seq     the first sequence number, if given
 * @param rtpTime the RTP timestamp (unsigned 32 bits), if given
 */
public record RtpInfo(String url, OptionalInt seq, OptionalLong rtpTime) {

    /** Parses every stream of a header value. */
    public static List<RtpInfo> parseList(String header) {
        if (header == null || header.isBlank()) {
            throw new RtspParseException("RTP-Info: empty");
        }
        List<RtpInfo> out = new ArrayList<>();
        // Entries are separated by commas, but URLs may contain commas too: a new entry starts at ",url=".
        String lower = header.toLowerCase(Locale.ROOT);
        int start = 0;
        for (int i = 0; i < header.length(); i++) {
            if (header.charAt(i) == ',' && startsEntry(lower, i + 1)) {
                out.add(parseOne(header.substring(start, i)));
                start = i + 1;
            }
        }
        out.add(parseOne(header.substring(start)));
        return out;
    }

    private static boolean startsEntry(String lower, int from) {
        int i = from;
        while (i < lower.length() && lower.charAt(i) == ' ') {
            i++;
        }
        return lower.startsWith("url=", i);
    }

    static RtpInfo parseOne(String entry) {
        String url = null;
        OptionalInt seq = OptionalInt.empty();
        OptionalLong rtpTime = OptionalLong.empty();
        StringBuilder urlParts = null;
        for (String part : entry.split(";", -1)) {
            String p = part.trim();
            String lower = p.toLowerCase(Locale.ROOT);
            if (urlParts == null && lower.startsWith("url=")) {
                urlParts = new StringBuilder(HeaderValues.unquote(p.substring(4)));
            } else if (lower.startsWith("seq=")) {
                seq = OptionalInt.of(HeaderValues.parseInt("RTP-Info seq", p.substring(4), 0, 65535));
            } else if (lower.startsWith("rtptime=")) {
                rtpTime = OptionalLong.of(HeaderValues.parseLong("RTP-Info rtptime", p.substring(8), 0, 0xFFFF_FFFFL));
            } else if (lower.startsWith("ssrc=")) {
                continue; // RFC 7826's ssrc: not used
            } else if (urlParts != null) {
                urlParts.append(';').append(part); // a ';' inside the URL
            } else if (!p.isEmpty()) {
                throw new RtspParseException("RTP-Info: entry without url " + RtspParseException.excerpt(entry));
            }
        }
        if (urlParts == null) {
            throw new RtspParseException("RTP-Info: entry without url " + RtspParseException.excerpt(entry));
        }
        url = urlParts.toString().trim();
        return new RtpInfo(url, seq, rtpTime);
    }

    /** The header value of one stream: {@code url=...;seq=n;rtptime=n}. */
    public String format() {
        StringBuilder b = new StringBuilder("url=").append(url);
        seq.ifPresent(s -> b.append(";seq=").append(s));
        rtpTime.ifPresent(t -> b.append(";rtptime=").append(t));
        return b.toString();
    }
}
