package org.vigie.playback.rtsp;

/**
 * Names of an RTSP connection's handlers, head to tail:
 * <ol>
 *   <li>{@link #DEMUX} ({@link org.vigie.rtsp.interleaved.InterleavedDemuxer#discardingInterleaved()}): drops interleaved RTCP, passes each RTSP message whole</li>
 *   <li>{@link #DECODER}: Netty's RTSP request decoder</li>
 *   <li>{@link #AGGREGATOR}: whole requests (bodies of SET_PARAMETER up to 64 KiB)</li>
 *   <li>{@link #INTERLEAVED_ENCODER} ({@link org.vigie.rtsp.interleaved.InterleavedEncoder}): outbound, unwraps interleaved RTP below
 *       the RTSP encoder</li>
 *   <li>{@link #ENCODER}: Netty's RTSP response encoder</li>
 *   <li>{@link #HANDLER} ({@link RtspServerHandler}): the protocol</li>
 * </ol>
 */
public final class RtspHandlerNames {

    public static final String DEMUX = "interleaved-demux";
    public static final String DECODER = "rtsp-decoder";
    public static final String AGGREGATOR = "rtsp-aggregator";
    public static final String INTERLEAVED_ENCODER = "interleaved-encoder";
    public static final String ENCODER = "rtsp-encoder";
    public static final String HANDLER = "rtsp-handler";

    private RtspHandlerNames() {
    }
}
