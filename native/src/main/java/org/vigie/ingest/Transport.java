package org.vigie.ingest;

/** How RTP travels from the camera: interleaved in the RTSP TCP connection, or over UDP (unicast only). */
public enum Transport {
    TCP("tcp"),
    UDP("udp");

    private final String rtspsrcProtocols;

    Transport(String rtspsrcProtocols) {
        this.rtspsrcProtocols = rtspsrcProtocols;
    }

    /** The value of rtspsrc's {@code protocols} property. */
    String rtspsrcProtocols() {
        return rtspsrcProtocols;
    }
}
