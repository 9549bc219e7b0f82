package org.vigie.playback.rtsp;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.vigie.media.Frame;
import org.vigie.media.NtpTime;
import org.vigie.rtsp.codec.NalUnits;
import org.vigie.rtsp.rtcp.RtcpPacket;
import org.vigie.rtsp.rtcp.SenderReport;
import org.vigie.rtsp.rtp.H264Packetizer;

/**
 * Turns frames into RTP packets (RFC 3550) of one outgoing stream: version 2, payload type
 * {@link SessionDescription#PAYLOAD_TYPE}, one SSRC, sequence numbers that run on without gap modulo 2^16, the
 * marker bit on the last packet of each access unit, payloads cut by the shared {@link H264Packetizer}.
 *
 * <p>Archive replay adds the ONVIF replay header extension (ONVIF Streaming Specification section 6.3, profile
 * {@code 0xABAC}) to every packet: the frame's absolute UTC time as an NTP timestamp, C (clean point: the
 * packet belongs to a key frame), D (discontinuity: first frame after a seek or a gap) and the low byte of the
 * PLAY request's CSeq.
 *
 * <p>RTCP: a sender report (RFC 3550 section 6.4.1, with the rtsp library's {@link RtcpPacket}) after the first frame
 * and then every {@link #REPORT_INTERVAL_MICROS} of the frames' wall time, on the output's RTCP path. It maps the
 * RTP timestamp of a frame to that frame's wall time as NTP, so that a client places live and archive frames in
 * UTC (ffmpeg's and GStreamer's RTSP clients use it for their NTP times). Confined to the session's sending thread.
 */
public final class RtpPacketizer {

    /** RTP header, and the ONVIF extension (4-byte extension header + 12 bytes). */
    static final int HEADER = 12;
    static final int ONVIF_EXTENSION = 16;
    static final int ONVIF_PROFILE = 0xABAC;
    private static final int NAL_SPS = 7;
    /** Wall time between two sender reports (RFC 3550 suggests 5 s as the minimum report interval). */
    static final long REPORT_INTERVAL_MICROS = 5_000_000L;
    static final String CNAME = "vigie";

    private final H264Packetizer h264;
    private final int ssrc;
    private int sequence;
    private long packets;
    private long octets;
    private org.vigie.media.VideoFormat lastFormat;
    private List<byte[]> parameterSets = List.of();
    private long lastReportMicros;
    private boolean reported;
    private long reports;

    public RtpPacketizer(int ssrc, int firstSequence, int maxPayload) {
        this.h264 = new H264Packetizer(maxPayload);
        this.ssrc = ssrc;
        this.sequence = firstSequence & 0xFFFF;
    }

    public int ssrc() {
        return ssrc;
    }

    /** The sequence number of the next packet. */
    public int nextSequence() {
        return sequence;
    }

    public long packets() {
        return packets;
    }

    public long octets() {
        return octets;
    }

    /** Sender reports sent. */
    public long reports() {
        return reports;
    }

    /** The RTP clock of a wall time: 90 kHz ticks, modulo 2^32, offset by {@code base}. */
    public static int timestamp(long wallMicros, int base) {
        return (int) (base + Math.floorDiv(wallMicros * 9, 100));
    }

    /**
     * Writes the packets of one frame to {@code out} (not flushed).
     *
     * @param replay the ONVIF replay extension, or null for live
     */
    public void write(Frame frame, int rtpTimestamp, Replay replay, MediaOutput out) {
        List<byte[]> payloads = h264.packetize(withParameterSets(frame));
        for (int i = 0; i < payloads.size(); i++) {
            byte[] p = payloads.get(i);
            boolean last = i == payloads.size() - 1;
            int len = HEADER + (replay == null ? 0 : ONVIF_EXTENSION) + p.length;
            ByteBuf b = out.newPacket(len);
            b.writeByte(replay == null ? 0x80 : 0x90); // V=2, X when extended
            b.writeByte((last ? 0x80 : 0) | SessionDescription.PAYLOAD_TYPE);
            b.writeShort(sequence);
            b.writeInt(rtpTimestamp);
            b.writeInt(ssrc);
            if (replay != null) {
                b.writeShort(ONVIF_PROFILE);
                b.writeShort(3);
                b.writeLong(ntp(frame.wallMicros()));
                int flags = (frame.keyFrame() ? 0x80 : 0) | (replay.discontinuity() && i == 0 ? 0x20 : 0);
                b.writeByte(flags);
                b.writeByte(replay.cseq() & 0xFF);
                b.writeShort(0);
            }
            b.writeBytes(p);
            out.send(b);
            sequence = (sequence + 1) & 0xFFFF;
            packets++;
            octets += p.length;
        }
        long wall = frame.wallMicros();
        if (!reported || wall - lastReportMicros >= REPORT_INTERVAL_MICROS || wall < lastReportMicros) {
            reported = true;
            lastReportMicros = wall;
            ByteBuf sr = out.newRtcp(RtcpPacket.maxLength(CNAME));
            RtcpPacket.writeSenderReport(sr, new SenderReport(ssrc, NtpTime.fromMicros(wall), rtpTimestamp, packets,
                    octets), CNAME);
            out.sendRtcp(sr);
            reports++;
        }
    }

    /**
     * The frame's NAL units, with the SPS and PPS of its format put in front of a key frame that lacks them, so
     * that a client can start decoding at any key frame even if the camera sends parameter sets out of band only.
     */
    private List<byte[]> withParameterSets(Frame frame) {
        List<byte[]> nals = NalUnits.split(frame.data());
        if (!frame.keyFrame()) return nals;
        for (byte[] n : nals) {
            if ((n[0] & 0x1F) == NAL_SPS) return nals;
        }
        if (frame.format() != lastFormat) {
            AvcConfig c = AvcConfig.parse(frame.format().decoderConfig());
            List<byte[]> ps = new java.util.ArrayList<>(c.sps());
            ps.addAll(c.pps());
            parameterSets = ps;
            lastFormat = frame.format();
        }
        List<byte[]> all = new java.util.ArrayList<>(parameterSets);
        all.addAll(nals);
        return all;
    }

    /** NTP 64-bit time (seconds since 1900 in the high 32 bits, fraction in the low 32) of a UTC µs time. */
    static long ntp(long wallMicros) {
        long secs = Math.floorDiv(wallMicros, 1_000_000L) + 2_208_988_800L;
        long micros = Math.floorMod(wallMicros, 1_000_000L);
        return (secs << 32) | ((micros << 32) / 1_000_000L);
    }

    /** UTC µs of an NTP 64-bit time (inverse of {@link #ntp}, to the µs). */
    static long ntpToMicros(long ntp) {
        long secs = (ntp >>> 32) - 2_208_988_800L;
        long frac = ntp & 0xFFFFFFFFL;
        return secs * 1_000_000L + ((frac * 1_000_000L + (1L << 31)) >>> 32);
    }

    /** The ONVIF replay extension of one frame: the PLAY's CSeq and whether the frame follows a discontinuity. */
    public record Replay(int cseq, boolean discontinuity) {
    }
}
