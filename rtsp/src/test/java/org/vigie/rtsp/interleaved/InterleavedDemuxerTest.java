package org.vigie.rtsp.interleaved;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InterleavedDemuxerTest {

    private static final String GET_PARAMETER = "GET_PARAMETER rtsp://h/cam-001 RTSP/1.0\r\nCSeq: 5\r\n"
            + "Content-Length: 4\r\n\r\nabcd";

    @Test
    void separatesFramesFromRequestsEvenWhenBytesArriveOneByOne() {
        byte[] rtcp = {(byte) 0x81, (byte) 201, 0, 1, 1, 2, 3, 4};
        ByteBuf wire = Unpooled.buffer();
        wire.writeByte('$').writeByte(1).writeShort(rtcp.length).writeBytes(rtcp);
        wire.writeBytes(GET_PARAMETER.getBytes(StandardCharsets.US_ASCII));
        wire.writeByte('$').writeByte(0).writeShort(0);

        EmbeddedChannel ch = new EmbeddedChannel(new InterleavedDemuxer());
        while (wire.isReadable()) {
            ch.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();

        InterleavedFrame first = ch.readInbound();
        assertThat(first.channel()).isEqualTo(1);
        assertThat(io.netty.buffer.ByteBufUtil.getBytes(first.content())).isEqualTo(rtcp);
        first.release();
        ByteBuf request = ch.readInbound();
        assertThat(request.toString(StandardCharsets.US_ASCII)).isEqualTo(GET_PARAMETER);
        request.release();
        InterleavedFrame empty = ch.readInbound();
        assertThat(empty.channel()).isZero();
        assertThat(empty.content().readableBytes()).isZero();
        empty.release();
        Object nothingMore = ch.readInbound();
        assertThat(nothingMore).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void theDiscardingDemuxerPassesOnlyTheRequests() {
        ByteBuf wire = Unpooled.buffer();
        wire.writeByte('$').writeByte(1).writeShort(3).writeBytes(new byte[] {1, 2, 3});
        wire.writeBytes(GET_PARAMETER.getBytes(StandardCharsets.US_ASCII));
        wire.writeByte('$').writeByte(1).writeShort(2).writeBytes(new byte[] {4, 5});
        EmbeddedChannel ch = new EmbeddedChannel(InterleavedDemuxer.discardingInterleaved());
        ch.writeInbound(wire);
        ByteBuf request = ch.readInbound();
        assertThat(request.toString(StandardCharsets.US_ASCII)).isEqualTo(GET_PARAMETER);
        request.release();
        Object nothingMore = ch.readInbound();
        assertThat(nothingMore).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void endlessHeaderFailsTheConnection() {
        EmbeddedChannel ch = new EmbeddedChannel(new InterleavedDemuxer());
        byte[] junk = new byte[InterleavedDemuxer.MAX_HEAD + 1];
        java.util.Arrays.fill(junk, (byte) 'A');
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(junk))).isInstanceOf(DecoderException.class);
    }

    /** GarbageRtspServer's shape: binary junk where an RTSP message should start fails at once, not after 64 KiB. */
    @Test
    void bytesThatCannotStartAnRtspMessageFailTheConnectionAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel(InterleavedDemuxer.receiving((c, b, o, l) -> { }));
        byte[] junk = {(byte) 0xFF, 0x13, 0x7F, 'x', 0, 1};
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(junk))).isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(org.vigie.rtsp.RtspParseException.class)
                .hasMessageContaining("not an RTSP message");
    }

    @Test
    void blankLinesBetweenMessagesAreSkipped() {
        EmbeddedChannel ch = new EmbeddedChannel(InterleavedDemuxer.discardingInterleaved());
        ch.writeInbound(Unpooled.copiedBuffer("\r\n" + GET_PARAMETER, StandardCharsets.US_ASCII));
        ByteBuf request = ch.readInbound();
        assertThat(request.toString(StandardCharsets.US_ASCII)).isEqualTo(GET_PARAMETER);
        request.release();
        assertThat(ch.finish()).isFalse();
    }
}
