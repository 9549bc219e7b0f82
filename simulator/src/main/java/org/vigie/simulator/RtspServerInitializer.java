package org.vigie.simulator;

import org.vigie.rtsp.interleaved.InterleavedDemuxer;
import org.vigie.rtsp.interleaved.InterleavedFrame;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.rtsp.RtspDecoder;
import io.netty.handler.codec.rtsp.RtspEncoder;
import java.security.SecureRandom;
import org.vigie.rtsp.auth.DigestVerifier;
import org.vigie.rtsp.interleaved.InterleavedEncoder;
import org.vigie.rtsp.server.UdpPortPair;
import java.util.random.RandomGenerator;

/**
 * The pipeline of an RTSP connection, head to tail:
 * {@value #DEMUX} ({@link InterleavedDemuxer}) → {@value #DECODER} → {@value #AGGREGATOR} →
 * {@value #INTERLEAVED_ENCODER} ({@link InterleavedEncoder}) → {@value #ENCODER} → {@value #HANDLER}
 * ({@link RtspServerHandler}). Outbound, responses go through the RTSP encoder and interleaved RTP/RTCP, wrapped in
 * {@link org.vigie.rtsp.interleaved.InterleavedPacket}, passes it untouched and is unwrapped below it.
 */
final class RtspServerInitializer extends ChannelInitializer<SocketChannel> {

    static final String DEMUX = "interleaved-demux";
    static final String DECODER = "rtsp-decoder";
    static final String AGGREGATOR = "rtsp-aggregator";
    static final String INTERLEAVED_ENCODER = "interleaved-encoder";
    static final String ENCODER = "rtsp-encoder";
    static final String HANDLER = "rtsp-handler";

    private final ServedCameras served;
    private final DigestVerifier authenticator;
    private final UdpPortPair udp;
    private final SimulatorOptions options;
    private final RandomGenerator random = new SecureRandom();

    RtspServerInitializer(ServedCameras served, DigestVerifier authenticator, UdpPortPair udp,
                          SimulatorOptions options) {
        this.served = served;
        this.authenticator = authenticator;
        this.udp = udp;
        this.options = options;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(DEMUX, new InterleavedDemuxer());
        p.addLast(DECODER, new RtspDecoder(4096, InterleavedDemuxer.MAX_HEAD, InterleavedDemuxer.MAX_BODY));
        p.addLast(AGGREGATOR, new HttpObjectAggregator(InterleavedDemuxer.MAX_BODY));
        p.addLast(INTERLEAVED_ENCODER, InterleavedEncoder.INSTANCE);
        p.addLast(ENCODER, new RtspEncoder());
        p.addLast(HANDLER, new RtspServerHandler(served, authenticator, udp, options, random));
    }
}
