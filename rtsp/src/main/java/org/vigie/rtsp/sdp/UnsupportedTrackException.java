package org.vigie.rtsp.sdp;

import org.vigie.rtsp.RtspParseException;

/**
 * A well-formed track that the Java client does not receive (another codec, an RTP payload mode it does not
 * implement). An ingest engine chooses GStreamer for such a camera instead of retrying the same thing.
 */
public final class UnsupportedTrackException extends RtspParseException {

    private static final long serialVersionUID = 1L;

    public UnsupportedTrackException(String message) {
        super(message);
    }
}
