package org.vigie.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Random;

/**
 * A faulty peer for the server's tests: a TCP server on loopback that answers every chunk a client sends (an RTSP
 * request, typically) with 512 bytes of deterministic pseudo-random garbage, never a valid RTSP response. One
 * daemon thread accepts, one daemon thread serves each connection; {@link #close()} stops them.
 */
public final class GarbageRtspServer extends FaultyPeer {

    private final long seed;

    /** Binds 127.0.0.1 on a free port; {@code seed} makes the garbage reproducible. */
    public GarbageRtspServer(long seed) throws IOException {
        super("garbage-rtsp");
        this.seed = seed;
        start();
    }

    @Override
    void serve(Socket socket) throws IOException {
        Random random = new Random(seed);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[4096];
        byte[] garbage = new byte[512];
        while (in.read(buffer) > 0) {
            random.nextBytes(garbage);
            garbage[0] = (byte) 0xFF; // never "RTSP/1.0" nor '$'
            out.write(garbage);
            out.flush();
        }
    }
}
