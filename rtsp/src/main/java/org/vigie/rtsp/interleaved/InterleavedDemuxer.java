package org.vigie.rtsp.interleaved;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Separates what a client sends on an RTSP connection: {@code $}-framed interleaved binary data becomes an
 * {@link InterleavedFrame}, or is read and discarded ({@link #discardingInterleaved()}: the server's RTSP re-stream,
 * which has no use for its TCP clients' RTCP receiver reports); each RTSP message (headers up to the blank line,
 * plus its Content-Length body) is passed on whole, as bytes, to the RTSP decoder, which never sees binary frames.
 * Both RTSP servers of the project (this simulator and the server's re-stream) use it.
 *
 * <p>Invariant: the bytes passed on are exactly one RTSP message each. A message head longer than
 * {@link #MAX_HEAD} bytes, or a body longer than {@link #MAX_BODY}, fails the connection. One instance per channel.
 */
public final class InterleavedDemuxer extends ByteToMessageDecoder {

    public static final int MAX_HEAD = 16 * 1024;
    public static final int MAX_BODY = 64 * 1024;

    private final boolean keepInterleaved;

    /** Interleaved data becomes {@link InterleavedFrame}s. */
    public InterleavedDemuxer() {
        this(true);
    }

    private InterleavedDemuxer(boolean keepInterleaved) {
        this.keepInterleaved = keepInterleaved;
    }

    /** A demuxer that reads interleaved data and discards it, passing on RTSP messages only. */
    public static InterleavedDemuxer discardingInterleaved() {
        return new InterleavedDemuxer(false);
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
                if (keepInterleaved) {
                    out.add(new InterleavedFrame(channel, in.readRetainedSlice(length)));
                } else {
                    in.skipBytes(length);
                }
                continue;
            }
            int headEnd = indexOfBlankLine(in, start);
            if (headEnd < 0) {
                if (in.readableBytes() > MAX_HEAD) {
                    throw new TooLongFrameException("RTSP message head longer than " + MAX_HEAD + " bytes");
                }
                return;
            }
            int bodyLength = contentLength(in.toString(start, headEnd - start, StandardCharsets.ISO_8859_1));
            if (bodyLength < 0 || bodyLength > MAX_BODY) {
                throw new TooLongFrameException("bad RTSP Content-Length: " + bodyLength);
            }
            int total = headEnd - start + bodyLength;
            if (in.readableBytes() < total) {
                return;
            }
            out.add(in.readRetainedSlice(total));
        }
    }

    /** Index just after the first CRLFCRLF (or LFLF) at or after {@code from}, or -1. */
    private static int indexOfBlankLine(ByteBuf in, int from) {
        int end = in.writerIndex();
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

    private static int contentLength(String head) {
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                try {
                    return Integer.parseInt(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return 0;
    }
}
