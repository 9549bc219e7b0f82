package org.vigie.rtsp.rtp;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.function.Consumer;
import org.vigie.media.VideoFormat;
import org.vigie.rtsp.RtspParseException;
import org.vigie.rtsp.codec.HevcConfig;

/**
 * RFC 7798 depacketization of H.265 without decoding order numbers ({@code sprop-max-don-diff} 0 or absent): single
 * NAL unit packets (types 0-47), aggregation packets (AP, 48) and fragmentation units (FU, 49). PACI packets (50)
 * make the access unit corrupt; types 51-63 are ignored. Key frames are access units with an IRAP picture
 * (types 16-23); the format's {@code hvcC} is built from the VPS, SPS and PPS (SDP first, then in band).
 */
public final class H265Depacketizer extends Depacketizer {

    private static final int AP = 48;
    private static final int FU = 49;
    private static final int PACI = 50;

    private List<byte[]> vps;
    private List<byte[]> sps;
    private List<byte[]> pps;

    public H265Depacketizer(List<byte[]> vps, List<byte[]> sps, List<byte[]> pps, int maxAccessUnitSize,
                            Consumer<AccessUnit> sink) {
        super(maxAccessUnitSize, sink);
        this.vps = bounded(vps);
        this.sps = bounded(sps);
        this.pps = bounded(pps);
    }

    private static List<byte[]> bounded(List<byte[]> sets) {
        return List.copyOf(sets.subList(0, Math.min(sets.size(), MAX_PARAMETER_SETS)));
    }

    @Override
    protected void unpack(ByteBuf buf, int offset, int length) {
        if (length < 3) {
            throw new MalformedPayloadException("payload of " + length + " bytes");
        }
        int b0 = buf.getUnsignedByte(offset);
        int b1 = buf.getUnsignedByte(offset + 1);
        int type = (b0 >> 1) & 0x3F;
        AccessUnitAssembler au = assembler();
        if (type < AP) {
            if (au.inFragmentedNal()) {
                throw new MalformedPayloadException("NAL unit inside an unfinished FU");
            }
            au.addNal(buf, offset, length);
        } else if (type == AP) {
            if (au.inFragmentedNal()) {
                throw new MalformedPayloadException("AP inside an unfinished FU");
            }
            int pos = offset + 2;
            int end = offset + length;
            while (pos < end) {
                if (end - pos < 2) {
                    throw new MalformedPayloadException("AP size truncated");
                }
                int size = buf.getUnsignedShort(pos);
                pos += 2;
                if (size < 2 || size > end - pos) {
                    throw new MalformedPayloadException("AP unit of " + size + " bytes");
                }
                au.addNal(buf, pos, size);
                pos += size;
            }
        } else if (type == FU) {
            int fu = buf.getUnsignedByte(offset + 2);
            boolean start = (fu & 0x80) != 0;
            boolean end = (fu & 0x40) != 0;
            if (start) {
                if (au.inFragmentedNal()) {
                    throw new MalformedPayloadException("FU start inside an unfinished FU");
                }
                int header = (((b0 & 0x81) | ((fu & 0x3F) << 1)) << 8) | b1;
                au.beginNal(header, 2);
            } else if (!au.inFragmentedNal()) {
                throw new MalformedPayloadException("FU continuation without its start");
            }
            au.append(buf, offset + 3, length - 3);
            if (end) {
                au.endNal();
            }
        } else if (type == PACI) {
            throw new MalformedPayloadException("PACI packets are not supported");
        }
        // 51-63: unspecified (RFC 7798 section 4.4.4): ignored
    }

    @Override
    protected boolean isKeyNal(int firstByte) {
        int type = (firstByte >> 1) & 0x3F;
        return type >= 16 && type <= 23;
    }

    @Override
    protected int parameterSetKinds() {
        return 3;
    }

    @Override
    protected int parameterSetKind(int firstByte) {
        return switch ((firstByte >> 1) & 0x3F) {
            case 32 -> 0;
            case 33 -> 1;
            case 34 -> 2;
            default -> -1;
        };
    }

    @Override
    protected List<byte[]> parameterSets(int kind) {
        return switch (kind) {
            case 0 -> vps;
            case 1 -> sps;
            default -> pps;
        };
    }

    @Override
    protected void setParameterSets(int kind, List<byte[]> sets) {
        switch (kind) {
            case 0 -> vps = List.copyOf(sets);
            case 1 -> sps = List.copyOf(sets);
            default -> pps = List.copyOf(sets);
        }
    }

    @Override
    protected VideoFormat buildFormat() {
        if (vps.isEmpty() || sps.isEmpty() || pps.isEmpty()) {
            throw new RtspParseException("no VPS/SPS/PPS yet");
        }
        return new HevcConfig(vps, sps, pps).toFormat();
    }
}
