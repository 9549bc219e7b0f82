package org.vigie.rtsp.rtcp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.vigie.rtsp.RtspParseException;

/**
 * RTCP (RFC 3550 section 6) as this project needs it: reading compound packets (sender reports, receiver reports'
 * blocks, BYE) and writing a sender report and a receiver report, each followed by an SDES CNAME as a compound
 * packet must be. Stateless.
 *
 * @param types         the RTCP packet types found, in order
 * @param senderReports the sender information of every SR
 * @param reportBlocks  the report blocks of every SR and RR
 * @param bye           the SSRCs that said BYE
 */
public record RtcpPacket(List<Integer> types, List<SenderReport> senderReports, List<ReportBlock> reportBlocks,
                         List<Integer> bye) {

    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;

    public RtcpPacket {
        types = List.copyOf(types);
        senderReports = List.copyOf(senderReports);
        reportBlocks = List.copyOf(reportBlocks);
        bye = List.copyOf(bye);
    }

    /**
     * Parses a compound packet at {@code buf[offset, offset + length)}.
     *
     * @throws RtspParseException when it is not a well-formed RTCP compound packet
     */
    public static RtcpPacket parse(ByteBuf buf, int offset, int length) {
        if (length < 4) {
            throw new RtspParseException("RTCP packet of " + length + " bytes");
        }
        List<Integer> types = new ArrayList<>();
        List<SenderReport> srs = new ArrayList<>();
        List<ReportBlock> blocks = new ArrayList<>();
        List<Integer> bye = new ArrayList<>();
        int pos = offset;
        int end = offset + length;
        while (pos < end) {
            if (end - pos < 4) {
                throw new RtspParseException("RTCP: truncated header");
            }
            int b0 = buf.getUnsignedByte(pos);
            if ((b0 >> 6) != 2) {
                throw new RtspParseException("RTCP version " + (b0 >> 6));
            }
            int count = b0 & 0x1F;
            int type = buf.getUnsignedByte(pos + 1);
            int bytes = (buf.getUnsignedShort(pos + 2) + 1) * 4;
            if (type < 192 || type > 223 || bytes > end - pos) {
                throw new RtspParseException("RTCP: bad packet type " + type + " or length " + bytes);
            }
            types.add(type);
            int blocksAt = -1;
            if (type == SR) {
                if (bytes < 28) {
                    throw new RtspParseException("RTCP: SR of " + bytes + " bytes");
                }
                srs.add(new SenderReport(buf.getInt(pos + 4), buf.getLong(pos + 8), buf.getInt(pos + 16),
                        buf.getUnsignedInt(pos + 20), buf.getUnsignedInt(pos + 24)));
                blocksAt = pos + 28;
            } else if (type == RR) {
                if (bytes < 8) {
                    throw new RtspParseException("RTCP: RR of " + bytes + " bytes");
                }
                blocksAt = pos + 8;
            } else if (type == BYE) {
                for (int i = 0; i < count && pos + 4 + 4 * (i + 1) <= pos + bytes; i++) {
                    bye.add(buf.getInt(pos + 4 + 4 * i));
                }
            }
            if (blocksAt >= 0) {
                if (blocksAt + 24 * count > pos + bytes) {
                    throw new RtspParseException("RTCP: " + count + " report blocks do not fit");
                }
                for (int i = 0; i < count; i++) {
                    int b = blocksAt + 24 * i;
                    int lost = buf.getMedium(b + 5);
                    blocks.add(new ReportBlock(buf.getInt(b), buf.getUnsignedByte(b + 4), lost,
                            buf.getUnsignedInt(b + 8), buf.getUnsignedInt(b + 12), buf.getInt(b + 16),
                            buf.getUnsignedInt(b + 20)));
                }
            }
            pos += bytes;
        }
        return new RtcpPacket(types, srs, blocks, bye);
    }

    /** The SSRCs that the report blocks are about (a server's streams, for a client's receiver report). */
    public List<Integer> reportedSsrcs() {
        List<Integer> out = new ArrayList<>(reportBlocks.size());
        for (ReportBlock b : reportBlocks) {
            out.add(b.ssrc());
        }
        return out;
    }

    /** A compound packet: a sender report without report blocks, then an SDES CNAME. */
    public static void writeSenderReport(ByteBuf out, SenderReport sr, String cname) {
        out.writeByte(0x80).writeByte(SR).writeShort(6);
        out.writeInt(sr.ssrc());
        out.writeLong(sr.ntpTimestamp());
        out.writeInt(sr.rtpTimestamp());
        out.writeInt((int) sr.packetCount());
        out.writeInt((int) sr.octetCount());
        writeCname(out, sr.ssrc(), cname);
    }

    /** A compound packet: a receiver report with one block (or none), then an SDES CNAME. */
    public static void writeReceiverReport(ByteBuf out, int ssrc, ReportBlock block, String cname) {
        int count = block == null ? 0 : 1;
        out.writeByte(0x80 | count).writeByte(RR).writeShort(1 + 6 * count);
        out.writeInt(ssrc);
        if (block != null) {
            out.writeInt(block.ssrc());
            out.writeByte(block.fractionLost());
            out.writeMedium(block.cumulativeLost());
            out.writeInt((int) block.highestSequence());
            out.writeInt((int) block.jitter());
            out.writeInt(block.lsr());
            out.writeInt((int) block.dlsr());
        }
        writeCname(out, ssrc, cname);
    }

    /** Bytes {@link #writeSenderReport} or {@link #writeReceiverReport} (with a block) write at most. */
    public static int maxLength(String cname) {
        return 28 + 24 + sdesLength(cname);
    }

    private static int sdesLength(String cname) {
        int name = Math.min(255, cname.getBytes(StandardCharsets.UTF_8).length);
        int items = 2 + name + 1; // CNAME item + END
        return 4 + 4 + ((items + 3) & ~3);
    }

    private static void writeCname(ByteBuf out, int ssrc, String cname) {
        byte[] name = cname.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(255, name.length);
        int length = sdesLength(cname);
        out.writeByte(0x81).writeByte(SDES).writeShort(length / 4 - 1);
        out.writeInt(ssrc);
        out.writeByte(1).writeByte(n).writeBytes(name, 0, n);
        int written = 4 + 4 + 2 + n;
        out.writeZero(length - written); // END item and padding to 32 bits
    }
}
