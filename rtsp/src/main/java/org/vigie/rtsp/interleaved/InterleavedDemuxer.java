package org.vigie.rtsp.interleaved;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.vigie.rtsp.RtspLimits;
import org.vigie.rtsp.RtspLimitException;
import org.vigie.rtsp.RtspParseException;

/**
 * Separates what arrives on an RTSP connection (RFC 2326 section 10.12): {@code $}-framed interleaved binary data,
 * and RTSP messages (start line and headers up to the blank line, plus a {@code Content-Length} body), each passed
 * on whole, as bytes, to the RTSP decoder after it, which never sees binary frames. Interleaved frames are, by mode:
 * <ul>
 *   <li>emitted as {@link InterleavedFrame}s ({@link #InterleavedDemuxer()}: the simulator reads its clients'
 *       RTCP receiver reports);</li>
 *   <li>read and discarded ({@link #discardingInterleaved()}: the re-stream);</li>
 *   <li>handed to an {@link InterleavedReceiver} in place, with no object per frame ({@link #receiving}: the
 *       client, where every RTP packet of a camera passes).</li>
 * </ul>
 *
 * <p>Invariants: the bytes passed on are exactly one RTSP message each; a message head longer than
 * {@link RtspLimits#MAX_HEADER_BLOCK} bytes, or a body longer than {@link RtspLimits#MAX_BODY}, fails the
 * connection with a {@link RtspParseException} (wrapped by Netty in a {@code DecoderException}); an interleaved
 * frame is at most 65,535 bytes by its format. One instance per channel.
 */
public final class InterleavedDemuxer extends ByteToMessageDecoder {

    public static final int MAX_HEAD = RtspLimits.MAX_HEADER_BLOCK;
    public static final int MAX_BODY = RtspLimits.MAX_BODY;

    private final boolean keepInterleaved;
    private final InterleavedReceiver receiver;
    /** Bytes of the current message head already searched for its end (a head may arrive byte by byte). */
    private int scanned;

    /** Interleaved data becomes {@link InterleavedFrame}s. */
    public InterleavedDemuxer() {
        this(true, null);
    }

    private InterleavedDemuxer(boolean keepInterleaved, InterleavedReceiver receiver) {
        this.keepInterleaved = keepInterleaved;
        this.receiver = receiver;
    }

    /** A demuxer that reads interleaved data and discards it, passing on RTSP messages only. */
    public static InterleavedDemuxer discardingInterleaved() {
        return new InterleavedDemuxer(false, null);
    }

    /** A demuxer that hands interleaved frames to {@code receiver} in place. */
    public static InterleavedDemuxer receiving(InterleavedReceiver receiver) {
        return new InterleavedDemuxer(false, java.util.Objects.requireNonNull(receiver, "receiver"));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            if (in.getByte(start) == '$') {
                if (in.readableBytes() < 4) {
                    return;
                }
                int channel = in.getUnsignedByte(start + 1);
                int length = in.getUnsignedShort(start + 2);
                if (in.readableBytes() < 4 + length) {
                    return;
                }
                in.skipBytes(4);
                if (receiver != null) {
                    int at = in.readerIndex();
                    in.skipBytes(length);
                    receiver.onInterleaved(channel, in, at, length);
                } else if (keepInterleaved) {
                    out.add(new InterleavedFrame(channel, in.readRetainedSlice(length)));
                } else {
                    in.skipBytes(length);
                }
                if (ctx.isRemoved()) {
                    return;
                }
                continue;
            }
            byte first = in.getByte(start);
            if (first == '\r' || first == '\n') {
                in.skipBytes(1); // blank lines between messages (some cameras end a body with an extra CRLF)
                continue;
            }
            if (first < 'A' || first > 'Z') {
                // An RTSP message starts with "RTSP/" or a method name (upper-case token): fail at once rather
                // than buffer up to 64 KiB of what is not RTSP.
                throw new RtspParseException("not an RTSP message nor interleaved data: starts with byte 0x"
                        + Integer.toHexString(first & 0xFF));
            }
            int headEnd = indexOfBlankLine(in, start, Math.max(start, start + scanned - 3));
            if (headEnd < 0) {
                scanned = in.readableBytes();
                if (in.readableBytes() > MAX_HEAD) {
                    throw new RtspLimitException("RTSP message head longer than " + MAX_HEAD + " bytes");
                }
                return;
            }
            if (headEnd - start > MAX_HEAD) {
                throw new RtspLimitException("RTSP message head longer than " + MAX_HEAD + " bytes");
            }
            int bodyLength = contentLength(in.toString(start, headEnd - start, StandardCharsets.ISO_8859_1));
            if (bodyLength < 0) {
                throw new RtspParseException("bad RTSP Content-Length");
            }
            if (bodyLength > MAX_BODY) {
                throw new RtspLimitException("RTSP body of " + bodyLength + " bytes, more than " + MAX_BODY);
            }
            int total = headEnd - start + bodyLength;
            if (in.readableBytes() < total) {
                return;
            }
            scanned = 0;
            out.add(in.readRetainedSlice(total));
        }
    }

    /** Index just after the first CRLFCRLF (or LFLF) of the head at {@code start}, searching from {@code from}. */
    private static int indexOfBlankLine(ByteBuf in, int start, int from) {
        int end = Math.min(in.writerIndex(), start + MAX_HEAD + 4);
        for (int i = from; i < end - 1; i++) {
            if (in.getByte(i) == '\n') {
                if (in.getByte(i + 1) == '\n') {
                    return i + 2;
                }
                if (i + 2 < end && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** The Content-Length of a message head, 0 when absent, -1 when unreadable. */
    static int contentLength(String head) {
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                String v = line.substring(colon + 1).trim();
                if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(Character::isDigit)) {
                    return -1;
                }
                return Integer.parseInt(v);
            }
        }
        return 0;
    }
}
