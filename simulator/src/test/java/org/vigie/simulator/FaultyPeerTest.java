package org.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.vigie.testing.Ffprobe;

class FaultyPeerTest {

    private static final byte[] OPTIONS =
            "OPTIONS rtsp://127.0.0.1/cam-001 RTSP/1.0\r\nCSeq: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void garbageServerAnswersBytesThatAreNotRtspAndFfprobeFails() throws Exception {
        try (GarbageRtspServer peer = new GarbageRtspServer(1);
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", peer.port()), 2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write(OPTIONS);
            byte[] answer = s.getInputStream().readNBytes(512);
            assertThat(answer).hasSize(512);
            assertThat(new String(answer, 0, 8, StandardCharsets.ISO_8859_1)).isNotEqualTo("RTSP/1.0");

            // ffprobe never gets a stream: it fails or hangs until the deadline (exit code -1)
            Ffprobe.Result r = Ffprobe.run(4, java.util.List.of("ffprobe", "-v", "error",
                    "-rtsp_transport", "tcp", peer.url("cam-001").toString()));
            assertThat(r.exitCode()).isNotZero();
        }
    }

    @Test
    void silentServerAcceptsAndNeverAnswers() throws Exception {
        try (SilentTcpServer peer = new SilentTcpServer();
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", peer.port()), 2000);
            s.setSoTimeout(700);
            s.getOutputStream().write(OPTIONS);
            InputStream in = s.getInputStream();
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
            assertThat(peer.openConnections()).isEqualTo(1);
        }
    }
}
