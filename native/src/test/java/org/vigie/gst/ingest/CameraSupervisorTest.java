package org.vigie.gst.ingest;

import org.vigie.ingest.ArrivalAnchoredWallClock;
import org.vigie.ingest.CameraState;
import org.vigie.ingest.CameraStatus;
import org.vigie.ingest.CameraSupervisor;
import org.vigie.ingest.IngestError;
import org.vigie.ingest.IngestErrorKind;
import org.vigie.ingest.IngestOptions;
import org.vigie.ingest.SessionIds;
import org.vigie.ingest.SupervisorSettings;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigie.media.StreamKey;

/** The supervisor against real peers on 127.0.0.1: the Python GStreamer RTSP server and hostile TCP servers. */
class CameraSupervisorTest {

    static RtspTestServer authServer;
    static ScheduledExecutorService executor;

    final RecordingSink sink = new RecordingSink();
    final List<CameraStatus> changes = new CopyOnWriteArrayList<>();
    CameraSupervisor supervisor;

    @BeforeAll
    static void start() throws Exception {
        GstRuntime.ensureInitialized();
        authServer = RtspTestServer.start(0, 1, "--user", "admin", "--password", "s3cret");
        executor = Executors.newScheduledThreadPool(2);
    }

    @AfterAll
    static void stop() throws Exception {
        authServer.close();
        executor.shutdownNow();
    }

    @AfterEach
    void closeSupervisor() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    static final SupervisorSettings FAST = SupervisorSettings.defaults()
            .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2)).withNoDataTimeout(Duration.ofSeconds(5));

    CameraSupervisor supervise(IngestOptions options, SupervisorSettings settings) {
        supervisor = new CameraSupervisor(StreamKey.main("cam1"), options, settings, sink, executor,
                InstantSource.system(), ArrivalAnchoredWallClock::new, new SessionIds(InstantSource.system()), GstIngestEngine.INSTANCE);
        supervisor.addListener(changes::add);
        supervisor.enable();
        return supervisor;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    void awaitRetryingWith(IngestErrorKind kind, Duration timeout) throws InterruptedException {
        await("RETRYING with " + kind, timeout, () -> changes.stream().anyMatch(
                s -> s.state() == CameraState.RETRYING && s.lastError() != null && s.lastError().kind() == kind));
        assertThat(changes).noneMatch(s -> s.state() == CameraState.STREAMING);
        assertThat(sink.frames).isEmpty();
    }

    @Test
    void rightCredentialsStream() throws Exception {
        supervise(IngestOptions.of(URI.create(authServer.url(1))).withCredentials("admin", "s3cret"), FAST);
        await("STREAMING", Duration.ofSeconds(15), () -> supervisor.state() == CameraState.STREAMING);
        await("25 frames", Duration.ofSeconds(5), () -> sink.frames.size() >= 25);
        assertThat(changes).extracting(CameraStatus::state)
                .startsWith(CameraState.CONNECTING, CameraState.STREAMING);
        CameraStatus s = supervisor.status();
        assertThat(s.frames()).isGreaterThanOrEqualTo(25);
        assertThat(s.bytes()).isPositive();
        assertThat(s.reconnects()).isZero();
        assertThat(s.lastError()).isNull();
    }

    @Test
    void wrongCredentialsIsAnAuthenticationErrorNotATimeout() throws Exception {
        supervise(IngestOptions.of(URI.create(authServer.url(1))).withCredentials("admin", "wrong"), FAST);
        awaitRetryingWith(IngestErrorKind.AUTHENTICATION_FAILED, Duration.ofSeconds(5));
        assertThat(supervisor.status().lastError().describe()).contains("401");
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        supervise(IngestOptions.of(URI.create("rtsp://127.0.0.1:" + authServer.port() + "/nope"))
                .withCredentials("admin", "s3cret"), FAST);
        awaitRetryingWith(IngestErrorKind.NOT_FOUND, Duration.ofSeconds(5));
    }

    @Test
    void nothingListeningIsConnectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        supervise(IngestOptions.of(URI.create("rtsp://127.0.0.1:" + port + "/cam1")), FAST);
        awaitRetryingWith(IngestErrorKind.CONNECTION_REFUSED, Duration.ofSeconds(5));
        // and it keeps retrying, with backoff
        await("3 reconnects", Duration.ofSeconds(10), () -> supervisor.status().reconnects() >= 3);
    }

    @Test
    void garbageAnswerIsAProtocolError() throws Exception {
        try (HostileServer garbage = new HostileServer(
                "\u0000\u0013 this is not RTSP \r\n\r\nHTTP/9 blah\r\n\r\n".repeat(20))) {
            supervise(IngestOptions.of(URI.create("rtsp://127.0.0.1:" + garbage.port() + "/cam1")), FAST);
            awaitRetryingWith(IngestErrorKind.PROTOCOL_ERROR, Duration.ofSeconds(5));
        }
    }

    @Test
    void silentServerTripsTheNoDataWatchdog() throws Exception {
        try (HostileServer mute = new HostileServer(null)) {
            IngestOptions options = IngestOptions.of(URI.create("rtsp://127.0.0.1:" + mute.port() + "/cam1"))
                    .withTcpTimeout(Duration.ofSeconds(60));
            supervise(options, FAST.withNoDataTimeout(Duration.ofSeconds(2)));
            long t0 = System.nanoTime();
            awaitRetryingWith(IngestErrorKind.NO_DATA, Duration.ofSeconds(6));
            assertThat((System.nanoTime() - t0) / 1e9).isGreaterThanOrEqualTo(1.9);
        }
    }

    @Test
    void serverRestartGivesRetryingThenStreamingWithANewSession() throws Exception {
        RtspTestServer server = RtspTestServer.start(0, 1);
        int port = server.port();
        try {
            supervise(IngestOptions.of(URI.create(server.url(1))), FAST);
            await("STREAMING", Duration.ofSeconds(15), () -> supervisor.state() == CameraState.STREAMING);
            await("frames", Duration.ofSeconds(5), () -> sink.frames.size() >= 10);
            long firstSession = sink.frames.get(0).sessionId();

            server.close();
            await("RETRYING", Duration.ofSeconds(15), () -> supervisor.state() == CameraState.RETRYING);
            assertThat(sink.sessionEnds).containsExactly(firstSession);
            IngestError lost = supervisor.status().lastError();
            assertThat(lost.kind()).isIn(IngestErrorKind.END_OF_STREAM, IngestErrorKind.PROTOCOL_ERROR,
                    IngestErrorKind.CONNECTION_REFUSED, IngestErrorKind.NO_DATA, IngestErrorKind.TIMEOUT);

            server = RtspTestServer.start(port, 1);
            await("STREAMING again", Duration.ofSeconds(20), () -> supervisor.state() == CameraState.STREAMING);
            await("frames of the new session", Duration.ofSeconds(5),
                    () -> sink.frames.get(sink.frames.size() - 1).sessionId() != firstSession);
            long secondSession = sink.frames.get(sink.frames.size() - 1).sessionId();
            assertThat(secondSession).isGreaterThan(firstSession);
            assertThat(sink.frames.stream().filter(f -> f.sessionId() == secondSession).findFirst().orElseThrow()
                    .keyFrame()).as("a new session starts on a key frame").isTrue();
            assertThat(supervisor.status().reconnects()).isPositive();
        } finally {
            server.close();
        }
    }

    @Test
    void disableStopsEverythingAndEnableResumes() throws Exception {
        supervise(IngestOptions.of(URI.create(authServer.url(1))).withCredentials("admin", "s3cret"), FAST);
        await("STREAMING", Duration.ofSeconds(15), () -> supervisor.state() == CameraState.STREAMING);
        supervisor.disable().get(10, TimeUnit.SECONDS);
        assertThat(supervisor.state()).isEqualTo(CameraState.DISABLED);
        int frozen = sink.frames.size();
        assertThat(sink.sessionEnds).hasSize(1);
        Thread.sleep(500);
        assertThat(sink.frames).hasSize(frozen);
        supervisor.enable();
        await("STREAMING again", Duration.ofSeconds(15), () -> supervisor.state() == CameraState.STREAMING);
        await("more frames", Duration.ofSeconds(5), () -> sink.frames.size() > frozen);
    }

    /** A TCP server on 127.0.0.1 that answers every connection with fixed bytes (or stays silent if null). */
    static final class HostileServer implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread thread;
        private final List<Socket> clients = new CopyOnWriteArrayList<>();

        HostileServer(String answer) throws IOException {
            socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                try {
                    while (true) {
                        Socket c = socket.accept();
                        clients.add(c);
                        if (answer != null) {
                            InputStream in = c.getInputStream();
                            in.read(new byte[4096]);
                            OutputStream out = c.getOutputStream();
                            out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                        }
                    }
                } catch (IOException closed) {
                    // socket closed: done
                }
            }, "hostile-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            for (Socket c : clients) {
                c.close();
            }
            thread.join(2000);
        }
    }
}
