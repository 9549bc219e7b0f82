package org.vigie.rtsp.rtp;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.function.Consumer;
import org.vigie.media.VideoFormat;
import org.vigie.rtsp.RtspParseException;
import org.vigie.rtsp.codec.AvcConfig;

/**
 * RFC 6184 depacketization of H.264 in single NAL unit and non-interleaved modes (packetization-mode 0 and 1):
 * single NAL unit packets (types 1-23), STAP-A (24) and FU-A (28). Interleaved-mode packets (STAP-B, MTAP, FU-B)
 * make the access unit corrupt; reserved types 0, 30 and 31 are ignored. Key frames are access units with an IDR
 * slice (type 5); the format's {@code avcC} is built from the SPS and PPS (SDP first, then in band).
 */
public final class H264Depacketizer extends Depacketizer {

    private static final int STAP_A = 24;
    private static final int FU_A = 28;

    private List<byte[]> sps;
    private List<byte[]> pps;

    /**
     * @param sps the SPS from the SDP (may be empty)
     * @param pps the PPS from the SDP (may be empty)
     */
    public H264Depacketizer(List<byte[]> sps, List<byte[]> pps, int maxAccessUnitSize, Consumer<AccessUnit> sink) {
        super(maxAccessUnitSize, sink);
        this.sps = List.copyOf(sps.subList(0, Math.min(sps.size(), MAX_PARAMETER_SETS)));
        this.pps = List.copyOf(pps.subList(0, Math.min(pps.size(), MAX_PARAMETER_SETS)));
    }

    @Override
    protected void unpack(ByteBuf buf, int offset, int length) {
        if (length < 1) {
            throw new MalformedPayloadException("empty payload");
        }
        int b0 = buf.getUnsignedByte(offset);
        int type = b0 & 0x1F;
        AccessUnitAssembler au = assembler();
        if (type >= 1 && type <= 23) {
            if (au.inFragmentedNal()) {
                throw new MalformedPayloadException("NAL unit inside an unfinished FU-A");
            }
            au.addNal(buf, offset, length);
        } else if (type == STAP_A) {
            if (au.inFragmentedNal()) {
                throw new MalformedPayloadException("STAP-A inside an unfinished FU-A");
            }
            int pos = offset + 1;
            int end = offset + length;
            while (pos < end) {
                if (end - pos < 2) {
                    throw new MalformedPayloadException("STAP-A size truncated");
                }
                int size = buf.getUnsignedShort(pos);
                pos += 2;
                if (size == 0 || size > end - pos) {
                    throw new MalformedPayloadException("STAP-A unit of " + size + " bytes");
                }
                au.addNal(buf, pos, size);
                pos += size;
            }
        } else if (type == FU_A) {
            if (length < 2) {
                throw new MalformedPayloadException("FU-A without header");
            }
            int fu = buf.getUnsignedByte(offset + 1);
            boolean start = (fu & 0x80) != 0;
            boolean end = (fu & 0x40) != 0;
            if (start) {
                if (au.inFragmentedNal()) {
                    throw new MalformedPayloadException("FU-A start inside an unfinished FU-A");
                }
                au.beginNal((b0 & 0xE0) | (fu & 0x1F), 1);
            } else if (!au.inFragmentedNal()) {
                throw new MalformedPayloadException("FU-A continuation without its start");
            }
            au.append(buf, offset + 2, length - 2);
            if (end) {
                au.endNal();
            }
        } else if (type == 0 || type >= 30) {
            return; // reserved or undefined (RFC 6184 section 5.4): ignored
        } else {
            throw new MalformedPayloadException("interleaved-mode packet type " + type);
        }
    }

    @Override
    protected boolean isKeyNal(int firstByte) {
        return (firstByte & 0x1F) == 5;
    }

    @Override
    protected int parameterSetKinds() {
        return 2;
    }

    @Override
    protected int parameterSetKind(int firstByte) {
        return switch (firstByte & 0x1F) {
            case 7 -> 0;
            case 8 -> 1;
            default -> -1;
        };
    }

    @Override
    protected List<byte[]> parameterSets(int kind) {
        return kind == 0 ? sps : pps;
    }

    @Override
    protected void setParameterSets(int kind, List<byte[]> sets) {
        if (kind == 0) {
            sps = List.copyOf(sets);
        } else {
            pps = List.copyOf(sets);
        }
    }

    @Override
    protected VideoFormat buildFormat() {
        if (sps.isEmpty() || pps.isEmpty()) {
            throw new RtspParseException("no SPS/PPS yet");
        }
        return AvcConfig.of(sps, pps).toFormat();
    }
}
