package org.vigie.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A TCP port of 127.0.0.1 that is free now, for a server that must know its port before it starts (a cluster node
 * advertises its address, PostgreSQL's {@code pg_ctl} takes one, a bench writes its server's configuration). No fixed
 * ports: tests, benches and a load run share one machine, and a taken port fails a run that has nothing wrong. Where
 * the server can bind port 0 itself and tell what it bound, prefer that: a port picked here may in principle be
 * taken again before it is bound.
 */
public final class FreePort {

    private FreePort() {
    }

    /** A port the system hands out for port 0 on the loopback address, released at once. */
    public static int pick() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
        }
    }

    /** {@code n} distinct free ports: each socket is held until all are picked, so none is handed out twice. */
    public static int[] pick(int n) {
        java.util.List<ServerSocket> held = new java.util.ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // released anyway when the process ends
                }
            }
        }
    }
}
