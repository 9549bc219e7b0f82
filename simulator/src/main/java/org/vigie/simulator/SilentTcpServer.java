package org.vigie.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * A faulty peer for the server's tests: a TCP server on loopback that accepts connections, reads and discards what
 * clients send, and never answers (a hung camera). Connections stay open until the client or {@link #close()}
 * ends them.
 */
public final class SilentTcpServer extends FaultyPeer {

    /** Binds 127.0.0.1 on a free port. */
    public SilentTcpServer() throws IOException {
        super("silent-tcp");
        start();
    }

    @Override
    void serve(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (in.read(buffer) >= 0) {
            // swallow
        }
    }
}
