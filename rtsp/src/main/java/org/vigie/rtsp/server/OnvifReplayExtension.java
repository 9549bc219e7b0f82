package org.vigie.rtsp.server;

import io.netty.buffer.ByteBuf;
import org.vigie.media.NtpTime;

/**
 * ONVIF's replay header extension (ONVIF Streaming Specification section 6.3, profile {@code 0xABAC}) of one access
 * unit: the frame's absolute UTC time as an NTP timestamp, C (clean point: the packet belongs to a key frame), D
 * (discontinuity: the first packet after a seek or a gap) and the low byte of the PLAY request's CSeq. Immutable.
 *
 * @param wallMicros    the frame's wall time, µs since the Unix epoch
 * @param keyFrame      sets C on every packet of the access unit
 * @param discontinuity sets D on its first packet
 * @param cseq          the PLAY's CSeq (its low byte is sent)
 */
public record OnvifReplayExtension(long wallMicros, boolean keyFrame, boolean discontinuity, int cseq)
        implements RtpHeaderExtension {

    /** The extension's profile identifier. */
    public static final int PROFILE = 0xABAC;

    @Override
    public int profile() {
        return PROFILE;
    }

    @Override
    public int words() {
        return 3;
    }

    @Override
    public void write(ByteBuf out, int index) {
        out.writeLong(NtpTime.fromMicros(wallMicros));
        out.writeByte((keyFrame ? 0x80 : 0) | (discontinuity && index == 0 ? 0x20 : 0));
        out.writeByte(cseq & 0xFF);
        out.writeShort(0);
    }
}
