package org.vigie.simulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Base of the misbehaving TCP peers ({@link GarbageRtspServer}, {@link SilentTcpServer}): a loopback server socket,
 * an accepting daemon thread and one daemon thread per connection running {@link #serve(Socket)}. Meant for tests
 * only (a thread per connection). Thread-safe.
 */
public abstract sealed class FaultyPeer implements AutoCloseable permits GarbageRtspServer, SilentTcpServer {

    private final ServerSocket serverSocket;
    private final String name;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    FaultyPeer(String name) throws IOException {
        this.name = name;
        this.serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    final void start() {
        Thread acceptor = new Thread(this::acceptLoop, name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket s = serverSocket.accept();
                connections.add(s);
                Thread t = new Thread(() -> {
                    try (s) {
                        serve(s);
                    } catch (IOException e) {
                        // the client went away or close() was called
                    } finally {
                        connections.remove(s);
                    }
                }, name + "-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Handles one connection until it ends; runs on its own thread. */
    abstract void serve(Socket socket) throws IOException;

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** An RTSP URL on this peer, e.g. {@code rtsp://127.0.0.1:40000/cam-001}. */
    public URI url(String path) {
        return URI.create("rtsp://127.0.0.1:" + port() + "/" + path);
    }

    /** Connections currently open. */
    public int openConnections() {
        return connections.size();
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Socket s : connections) {
            s.close();
        }
    }
}
