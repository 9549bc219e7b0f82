package org.vigie.rtsp.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One media section of an SDP ({@code m=} line and its attributes), as an RTSP client needs it: media type, the
 * first payload type with its {@code rtpmap} (encoding name, clock rate) and {@code fmtp} parameters, and the
 * track's {@code control} URL (as written, see {@link SessionDescription#controlUrl}). Immutable.
 *
 * @param media        {@code video}, {@code audio}, {@code application}...
 * @param protocol     {@code RTP/AVP} and the like
 * @param payloadTypes the formats of the {@code m=} line
 * @param payloadType  the first payload type
 * @param encoding     its encoding name, upper case ({@code H264}, {@code H265}), or empty when not mapped
 * @param clockRate    its clock rate, or 0 when not mapped (static payload types)
 * @param fmtp         its format parameters, names lower case; unmodifiable
 * @param control      the {@code a=control} value, or null
 */
public record MediaDescription(String media, String protocol, List<Integer> payloadTypes, int payloadType,
                               String encoding, int clockRate, Map<String, String> fmtp, String control) {

    public MediaDescription {
        payloadTypes = List.copyOf(payloadTypes);
        fmtp = Collections.unmodifiableMap(new LinkedHashMap<>(fmtp));
    }

    public boolean isVideo() {
        return media.equals("video");
    }

    /** A format parameter, or null. */
    public String fmtp(String name) {
        return fmtp.get(name.toLowerCase(Locale.ROOT));
    }
}
