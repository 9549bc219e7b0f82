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

            // ffprobe reads the garbage as an answer and fails by itself, saying so: its own I/O timeout (2 s) only
            // ends its wait for more, and our deadline (20 s, exit code -1) would be a hang, not the expected failure
            Ffprobe.Result r = Ffprobe.run(20, java.util.List.of("ffprobe", "-v", "error",
                    "-rtsp_transport", "tcp", "-timeout", "2000000", peer.url("cam-001").toString()));
            assertThat(r.exitCode()).as("ffprobe's exit code; stderr: %s", r.stderr()).isEqualTo(1);
            assertThat(r.stderr()).contains("Invalid data found when processing input");
            assertThat(r.stdout()).isEmpty();
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
