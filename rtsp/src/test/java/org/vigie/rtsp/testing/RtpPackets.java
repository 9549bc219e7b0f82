package org.vigie.rtsp.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.vigie.rtsp.rtp.Packetizer;
import org.vigie.rtsp.rtp.RtpStream;

/** Turns a clip into RTP packets (one buffer each) as a camera would send them, for depacketizer tests. */
public final class RtpPackets {

    private RtpPackets() {
    }

    /** One RTP packet: header + payload. */
    public static ByteBuf packet(RtpStream stream, byte[] payload, boolean marker, int timestamp) {
        ByteBuf b = Unpooled.buffer(12 + payload.length);
        stream.writePacket(b, payload, marker, timestamp);
        return b;
    }

    /** The packets of every access unit of {@code clip}, 3600 ticks (25 fps) apart from {@code firstTimestamp}. */
    public static List<ByteBuf> of(Clip clip, Packetizer packetizer, RtpStream stream, int firstTimestamp) {
        List<ByteBuf> out = new ArrayList<>();
        int ts = firstTimestamp;
        for (List<byte[]> au : clip.accessUnits()) {
            List<byte[]> payloads = packetizer.packetize(au);
            for (int i = 0; i < payloads.size(); i++) {
                out.add(packet(stream, payloads.get(i), i == payloads.size() - 1, ts));
            }
            ts += 3600;
        }
        return out;
    }
}
