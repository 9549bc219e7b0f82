package org.vigie.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.rtsp.client.RtspClient;
import org.vigie.testing.Await;

/**
 * Issue 17: a server stopping hundreds of Java-engine sessions at once must not stop them in waves of its teardown
 * pool's size. Here 24 sessions are PLAYING from a camera that never answers TEARDOWN (each stop then waits out the
 * client's 500 ms grace) and are closed on a pool of 2 threads: in waves that took 12 x 0.5 s = 6 s; all at once,
 * about 0.5 s.
 */
class CameraSupervisorShutdownTest {

    private static final int SESSIONS = 24;

    private final RtspClient client = RtspClient.create(2, InstantSource.system());
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final ExecutorService teardown = Executors.newFixedThreadPool(2);
    private final AtomicInteger playing = new AtomicInteger();
    private final AtomicInteger teardowns = new AtomicInteger();
    private final List<Socket> connections = new ArrayList<>();
    private ServerSocket camera;

    @AfterEach
    void close() throws IOException {
        teardown.shutdownNow();
        executor.shutdownNow();
        client.close();
        camera.close();
        synchronized (connections) {
            for (Socket s : connections) {
                s.close();
            }
        }
    }

    @Test
    void closingManyPlayingSessionsWhoseCameraIgnoresTeardownDoesNotWaitInWaves() throws Exception {
        camera = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::serve, "silent-teardown-camera");
        acceptor.setDaemon(true);
        acceptor.start();
        IngestEngines java = new IngestEngines(IngestEngines.Choice.JAVA, () -> client,
                IngestEngines.tls(null, false), mock(IngestEngine.class));
        AtomicLong ids = new AtomicLong();
        List<CameraSupervisor> supervisors = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            CameraSupervisor s = new CameraSupervisor(StreamKey.main("cam" + i),
                    IngestOptions.of(URI.create("rtsp://127.0.0.1:" + camera.getLocalPort() + "/cam" + i)),
                    SupervisorSettings.defaults().withNoDataTimeout(Duration.ofSeconds(60)), mock(FrameSink.class),
                    executor, InstantSource.system(), ArrivalAnchoredWallClock::new, ids::incrementAndGet, java);
            supervisors.add(s);
            s.enable();
        }
        Await.until("every session playing", Duration.ofSeconds(10), () -> playing.get() == SESSIONS);
        Thread.sleep(100); // the client reads the last PLAY answers

        long start = System.nanoTime();
        List<Future<?>> closing = new ArrayList<>();
        for (CameraSupervisor s : supervisors) {
            closing.add(s.closeAsync(teardown));
        }
        for (Future<?> f : closing) {
            f.get(30, TimeUnit.SECONDS);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(teardowns.get()).as("TEARDOWN sent by every session").isEqualTo(SESSIONS);
        assertThat(millis).as("ms to close %d playing sessions on a pool of 2 threads", SESSIONS)
                .isLessThan(2_000);
        for (CameraSupervisor s : supervisors) {
            assertThat(s.state()).isEqualTo(CameraState.DISABLED);
        }
    }

    /** A camera answering OPTIONS, DESCRIBE, SETUP and PLAY, sending no media, and never answering TEARDOWN. */
    private void serve() {
        while (!camera.isClosed()) {
            try {
                Socket s = camera.accept();
                synchronized (connections) {
                    connections.add(s);
                }
                Thread t = new Thread(() -> answer(s), "silent-teardown-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answer(Socket s) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String method = line.split(" ")[0];
                String url = line.split(" ")[1];
                String cseq = null;
                int length = 0;
                while ((line = in.readLine()) != null && !line.isEmpty()) {
                    String lower = line.toLowerCase();
                    if (lower.startsWith("cseq:")) {
                        cseq = line.substring(5).trim();
                    } else if (lower.startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                in.skip(length);
                String headers;
                String body = "";
                switch (method) {
                    case "OPTIONS" -> headers = "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n";
                    case "DESCRIBE" -> {
                        body = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=silent\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
                                + "a=control:*\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
                                + "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z01AKJWgHgCJ+VA=,aO48gA==\r\n"
                                + "a=control:trackID=0\r\n";
                        headers = "Content-Base: " + url + "/\r\nContent-Type: application/sdp\r\n";
                    }
                    case "SETUP" -> headers = "Session: 12345678;timeout=60\r\n"
                            + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n";
                    case "PLAY" -> headers = "Session: 12345678\r\n";
                    case "TEARDOWN" -> {
                        teardowns.incrementAndGet();
                        continue; // never answered
                    }
                    default -> headers = "Session: 12345678\r\n";
                }
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                out.write(("RTSP/1.0 200 OK\r\nCSeq: " + cseq + "\r\n" + headers + "Content-Length: " + b.length
                        + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (method.equals("PLAY")) {
                    playing.incrementAndGet();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client closed the connection
        }
    }
}
