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
import java.util.random.RandomGenerator;

/**
 * The pipeline of an RTSP connection, head to tail:
 * {@value #DEMUX} ({@link InterleavedDemuxer}) → {@value #DECODER} → {@value #AGGREGATOR} →
 * {@value #INTERLEAVED_ENCODER} ({@link InterleavedDataEncoder}) → {@value #ENCODER} → {@value #HANDLER}
 * ({@link RtspServerHandler}). Outbound, responses go through the RTSP encoder and interleaved RTP/RTCP, wrapped in
 * {@link InterleavedData}, passes it untouched and is unwrapped below it.
 */
final class RtspServerInitializer extends ChannelInitializer<SocketChannel> {

    static final String DEMUX = "interleaved-demux";
    static final String DECODER = "rtsp-decoder";
    static final String AGGREGATOR = "rtsp-aggregator";
    static final String INTERLEAVED_ENCODER = "interleaved-encoder";
    static final String ENCODER = "rtsp-encoder";
    static final String HANDLER = "rtsp-handler";

    private final ServedCameras served;
    private final DigestAuthenticator authenticator;
    private final UdpMediaPorts udp;
    private final SimulatorOptions options;
    private final RandomGenerator random = new SecureRandom();

    RtspServerInitializer(ServedCameras served, DigestAuthenticator authenticator, UdpMediaPorts udp,
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
        p.addLast(INTERLEAVED_ENCODER, InterleavedDataEncoder.INSTANCE);
        p.addLast(ENCODER, new RtspEncoder());
        p.addLast(HANDLER, new RtspServerHandler(served, authenticator, udp, options, random));
    }
}
