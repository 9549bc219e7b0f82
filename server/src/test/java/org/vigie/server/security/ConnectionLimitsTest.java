package org.vigie.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.VmsServer;
import org.vigie.server.api.TestServers;
import org.vigie.server.config.VmsConfig;
import org.vigie.systemd.SystemdNotifier;

/**
 * Security review, Low: no idle timeout nor connection limit on HTTP and RTSP, and the announced RTSP session
 * timeout not enforced: a client could hold connections open for ever, as many as it liked. Raw sockets on
 * 127.0.0.1 against a real server with small limits.
 */
class ConnectionLimitsTest {

    @TempDir
    static Path dir;

    static VmsServer server;

    @BeforeAll
    static void start() throws Exception {
        String yaml = TestServers.yaml(dir, "[]").replace(
                "server: { bind-address: 127.0.0.1, http-port: 0, rtsp-port: 0 }",
                "server: { bind-address: 127.0.0.1, http-port: 0, rtsp-port: 0, max-connections: 3, "
                        + "idle-timeout: 3s, rtsp-session-timeout: 1s }");
        assertThat(yaml).contains("max-connections: 3");
        server = VmsServer.start(VmsConfig.parse(yaml), InstantSource.system(), new SystemdNotifier(null, null), null);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Milliseconds until the server closes the socket (reads until end of stream), or -1 if open after {@code ms}. */
    static long closedWithin(Socket s, int ms) throws Exception {
        long t0 = System.nanoTime();
        s.setSoTimeout(ms);
        InputStream in = s.getInputStream();
        try {
            while (in.read() != -1) {
                // the answer to a request sent, if any
            }
            return (System.nanoTime() - t0) / 1_000_000;
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (java.net.SocketException e) { // reset by the server: closed too
            return (System.nanoTime() - t0) / 1_000_000;
        }
    }

    @Test
    void httpConnectionsAreLimitedAndIdleOnesClosed() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                idle.add(new Socket("127.0.0.1", server.httpPort()));
            }
            Thread.sleep(200);
            try (Socket fourth = new Socket("127.0.0.1", server.httpPort())) {
                assertThat(closedWithin(fourth, 1500)).as("a fourth connection, beyond max-connections").isNotNegative();
            }
            for (Socket s : idle) {
                assertThat(closedWithin(s, 8000)).as("an idle connection, after idle-timeout").isNotNegative();
            }
            try (Socket again = new Socket("127.0.0.1", server.httpPort())) {
                again.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                again.setSoTimeout(5000);
                String answer = new String(again.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).as("room again once they are closed").startsWith("HTTP/1.1 200");
            }
        } finally {
            for (Socket s : idle) s.close();
        }
    }

    @Test
    void theAnnouncedRtspSessionTimeoutIsEnforced() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.rtspPort())) {
            s.getOutputStream().write(("OPTIONS rtsp://127.0.0.1:" + server.rtspPort() + "/ RTSP/1.0\r\nCSeq: 1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            long ms = closedWithin(s, 8000);
            assertThat(ms).as("a silent RTSP client, after rtsp-session-timeout (1 s)").isBetween(500L, 5000L);
        }
    }
}
