package org.vigie.ingest;

/**
 * The state of one supervised camera stream.
 * <pre>
 *   DISABLED --enable--> CONNECTING --first frame--> STREAMING
 *   CONNECTING/STREAMING --error, EOS, no data--> RETRYING --backoff elapsed--> CONNECTING
 *   any --disable/close--> DISABLED
 * </pre>
 */
public enum CameraState {
    /** A pipeline is starting; no frame yet in this session. */
    CONNECTING,
    /** Frames are flowing. */
    STREAMING,
    /** The last session failed (see the last error); waiting for the backoff delay before reconnecting. */
    RETRYING,
    /** Not wanted: no pipeline, no retry. */
    DISABLED
}
