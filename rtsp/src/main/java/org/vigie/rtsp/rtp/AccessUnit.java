package org.vigie.rtsp.rtp;

import org.vigie.media.VideoFormat;

/**
 * One access unit (a whole picture) as a depacketizer completes it: the stream's format at that picture, the
 * picture's extended RTP timestamp, whether decoding can start here, and its NAL units in MP4 sample form (4-byte
 * length prefixes), ready to become a {@link org.vigie.media.Frame}'s data without another copy.
 *
 * @param timestamp the RTP timestamp extended to 64 bits ({@link TimestampExtender})
 * @param data      owned by the access unit: never modified after it is handed out
 */
public record AccessUnit(VideoFormat format, long timestamp, boolean keyFrame, byte[] data) {
}
