package org.vigie.rtsp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import org.vigie.media.NtpTime;
import org.vigie.rtsp.rtcp.RtcpPacket;
import org.vigie.rtsp.rtcp.SenderReport;
import org.vigie.rtsp.rtp.Packetizer;
import org.vigie.rtsp.rtp.RtpStream;

/**
 * Sends one server session's video: access units as RTP packets through its {@link MediaOutput}, and an RTCP
 * sender report (RFC 3550 section 6.4.1) after the first access unit and then every {@code reportIntervalMicros} of
 * wall time, anchoring the RTP timestamp of a frame to its wall time so that receivers can place frames in UTC.
 * Used by every RTSP server of the project (the simulator, the re-stream).
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
        if (lastReportMicros == Long.MIN_VALUE || wallMicros - lastReportMicros >= reportIntervalMicros) {
            lastReportMicros = wallMicros;
            ByteBuf sr = alloc.buffer(RtcpPacket.maxLength(cname));
            RtcpPacket.writeSenderReport(sr, new SenderReport(stream.ssrc(), NtpTime.fromMicros(wallMicros),
                    timestamp, stream.packetCount(), stream.octetCount()), cname);
            output.sendRtcp(sr);
            reports++;
        }
    }
}
