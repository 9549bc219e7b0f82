package org.vigie.rtsp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.NtpTime;
import org.vigie.media.VideoFormat;
import org.vigie.rtsp.codec.AvcConfig;
import org.vigie.rtsp.codec.HevcConfig;
import org.vigie.rtsp.codec.NalUnits;
import org.vigie.rtsp.rtcp.RtcpPacket;
import org.vigie.rtsp.rtcp.SenderReport;
import org.vigie.rtsp.rtp.Packetizer;
import org.vigie.rtsp.rtp.RtpStream;

/**
 * Sends one server session's video: access units as RTP packets through its {@link MediaOutput}, and an RTCP
 * sender report (RFC 3550 section 6.4.1) after the first access unit and then every {@code reportIntervalMicros} of
 * wall time (and again when the wall time goes back, as after an archive seek), anchoring the RTP timestamp of a frame
 * to its wall time so that receivers can place frames in UTC. Used by every RTSP server of the project (the
 * simulator, the re-stream).
 *
 * <p>{@link #sendFrame} puts the parameter sets of the frame's format in front of a key frame that lacks them, so
 * that a client can start decoding at any key frame even when the camera sends them out of band only.
 *
 * <p>Not thread-safe: one sending thread at a time (the session's lock, event loop or archive sender).
 */
public final class RtpSender {

    private final RtpStream stream;
    private final Packetizer packetizer;
    private final MediaOutput output;
    private final String cname;
    private final long reportIntervalMicros;
    private final ByteBufAllocator alloc;
    private long lastReportMicros = Long.MIN_VALUE;
    private long reports;
    private VideoFormat lastFormat;
    private List<byte[]> parameterSets = List.of();

    public RtpSender(RtpStream stream, Packetizer packetizer, MediaOutput output, String cname,
                     long reportIntervalMicros, ByteBufAllocator alloc) {
        if (reportIntervalMicros <= 0) {
            throw new IllegalArgumentException("report interval must be positive");
        }
        this.stream = stream;
        this.packetizer = packetizer;
        this.output = output;
        this.cname = cname;
        this.reportIntervalMicros = reportIntervalMicros;
        this.alloc = alloc;
    }

    public RtpStream stream() {
        return stream;
    }

    public MediaOutput output() {
        return output;
    }

    public boolean isWritable() {
        return output.isWritable();
    }

    /** Sender reports sent. */
    public long reports() {
        return reports;
    }

    /** The RTP clock of a wall time: 90 kHz ticks, modulo 2^32, offset by {@code base} (the stream's random base). */
    public static int timestamp(long wallMicros, int base) {
        return (int) (base + Math.floorDiv(wallMicros * 9, 100));
    }

    /**
     * Sends one frame (its NAL units, with its format's parameter sets in front of a key frame that has none),
     * stamped {@code timestamp}; its wall time anchors the sender reports.
     */
    public void sendFrame(Frame frame, int timestamp, RtpHeaderExtension extension) {
        List<byte[]> nals = NalUnits.split(frame.data());
        sendNalUnits(frame.keyFrame() ? withParameterSets(frame.format(), nals) : nals, timestamp,
                frame.wallMicros(), extension);
    }

    private List<byte[]> withParameterSets(VideoFormat format, List<byte[]> nals) {
        boolean h264 = format.codec() == Codec.H264;
        for (byte[] n : nals) {
            int type = h264 ? NalUnits.h264Type(n) : NalUnits.h265Type(n);
            if (type == (h264 ? NalUnits.H264_SPS : NalUnits.H265_SPS)) {
                return nals;
            }
        }
        if (format != lastFormat) {
            List<byte[]> ps = new ArrayList<>();
            if (h264) {
                AvcConfig c = AvcConfig.parse(format.decoderConfig());
                ps.addAll(c.sps());
                ps.addAll(c.pps());
            } else {
                HevcConfig c = HevcConfig.parse(format.decoderConfig());
                ps.addAll(c.vps());
                ps.addAll(c.sps());
                ps.addAll(c.pps());
            }
            parameterSets = List.copyOf(ps);
            lastFormat = format;
        }
        List<byte[]> all = new ArrayList<>(parameterSets.size() + nals.size());
        all.addAll(parameterSets);
        all.addAll(nals);
        return all;
    }

    /** Sends an access unit given as NAL units (cut by the packetizer). */
    public void sendNalUnits(List<byte[]> nalUnits, int timestamp, long wallMicros, RtpHeaderExtension extension) {
        sendPayloads(packetizer.packetize(nalUnits), timestamp, wallMicros, extension);
    }

    /** Sends an access unit already cut into payloads (the simulator cuts its clip once). */
    public void sendPayloads(List<byte[]> payloads, int timestamp, long wallMicros, RtpHeaderExtension extension) {
        if (payloads.isEmpty()) {
            return;
        }
        output.sendAccessUnit(payloads, stream, timestamp, extension);
        if (lastReportMicros == Long.MIN_VALUE || wallMicros - lastReportMicros >= reportIntervalMicros
                || wallMicros < lastReportMicros) {
            lastReportMicros = wallMicros;
            ByteBuf sr = alloc.buffer(RtcpPacket.maxLength(cname));
            RtcpPacket.writeSenderReport(sr, new SenderReport(stream.ssrc(), NtpTime.fromMicros(wallMicros),
                    timestamp, stream.packetCount(), stream.octetCount()), cname);
            output.sendRtcp(sr);
            reports++;
        }
    }
}
