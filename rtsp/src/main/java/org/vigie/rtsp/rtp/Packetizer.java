package org.vigie.rtsp.rtp;

import java.util.List;
import org.vigie.media.Codec;

/**
 * Cuts the NAL units of one access unit into RTP payloads of at most {@link #maxPayload()} bytes (RFC 6184 for
 * H.264, RFC 7798 for H.265): a NAL unit that fits travels alone, a larger one in fragmentation units. Stateless
 * and thread-safe.
 *
 * <p>Invariant: concatenating the payloads of one NAL unit (fragmentation headers removed, NAL header rebuilt)
 * gives back the NAL unit exactly.
 */
public interface Packetizer {

    /** The default maximum RTP payload: keeps UDP datagrams under a 1500-byte Ethernet MTU. */
    int DEFAULT_MAX_PAYLOAD = 1400;

    int maxPayload();

    /** The RTP payloads of one access unit given as NAL units (no start codes, no length prefixes), in order. */
    List<byte[]> packetize(List<byte[]> nalUnits);

    /** The packetizer of a codec. */
    static Packetizer of(Codec codec, int maxPayload) {
        return codec == Codec.H264 ? new H264Packetizer(maxPayload) : new H265Packetizer(maxPayload);
    }
}
