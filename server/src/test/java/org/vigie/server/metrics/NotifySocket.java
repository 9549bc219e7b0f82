package org.vigie.server.metrics;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;

/** A test stand-in for systemd's notification socket: an AF_UNIX datagram socket bound to a path, through libc. */
final class NotifySocket implements AutoCloseable {

    interface CLib extends Library {
        CLib INSTANCE = Native.load("c", CLib.class);

        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] addr, int len);

        long recv(int fd, byte[] buf, long len, int flags);

        int setsockopt(int fd, int level, int name, long[] value, int len);

        int close(int fd);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;

    private final int fd;

    NotifySocket(String path) {
        fd = CLib.INSTANCE.socket(AF_UNIX, SOCK_DGRAM, 0);
        if (fd < 0) throw new IllegalStateException("socket failed");
        byte[] addr = new byte[110];
        addr[0] = AF_UNIX; // sa_family, little-endian
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(p, 0, addr, 2, p.length);
        if (CLib.INSTANCE.bind(fd, addr, 2 + p.length + 1) != 0) throw new IllegalStateException("bind " + path);
        long[] timeval = {0, 500_000}; // 500 ms receive timeout
        CLib.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval, 16);
    }

    /** The next datagram, or null when none came within 500 ms. */
    String receive() {
        byte[] buf = new byte[4096];
        long n = CLib.INSTANCE.recv(fd, buf, buf.length, 0);
        return n <= 0 ? null : new String(buf, 0, (int) n, StandardCharsets.UTF_8);
    }

    /** Receives until a datagram containing {@code text}, for at most {@code seconds}; returns it or fails. */
    String await(String text, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String m = receive();
            if (m != null && m.contains(text)) return m;
            if (m != null) seen.append('[').append(m).append(']');
        }
        throw new AssertionError("no '" + text + "' within " + seconds + " s; received " + seen);
    }

    @Override
    public void close() {
        CLib.INSTANCE.close(fd);
    }
}
