package org.vigie.rtsp.server;

import io.netty.buffer.ByteBuf;

/**
 * An RTP header extension (RFC 3550 section 5.3.1) added to every packet of one access unit, such as ONVIF's
 * replay extension (profile {@code 0xABAC}: the frame's NTP time and its clean-point and discontinuity flags).
 */
public interface RtpHeaderExtension {

    /** The 16-bit profile identifier. */
    int profile();

    /** The length of the extension's data in 32-bit words (after its 4-byte header). */
    int words();

    /** Writes the extension's data ({@code 4 * words()} bytes) of the {@code index}-th packet of the access unit. */
    void write(ByteBuf out, int index);
}
