package org.vigie.ingest;

/** How RTP travels from the camera: interleaved in the RTSP TCP connection, or over UDP (unicast only). */
public enum Transport {
    TCP,
    UDP
}
