package org.vigie.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.ingest.CameraState;
import org.vigie.ingest.CameraStatus;
import org.vigie.ingest.IngestErrorKind;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.server.VmsServer;
import org.vigie.server.camera.Camera;
import org.vigie.server.config.VmsConfig;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.testing.Await;
import org.vigie.testing.Ffprobe;
import org.vigie.testing.GstRtspServer;

/**
 * Issue 11: the Java RTSP client as the default ingest engine, against peers we did not write. GStreamer's RTSP
 * server with Digest authentication, and with TLS (RTSPS, its certificate checked against a per-camera CA file),
 * recorded into ffprobe-valid segments; a codec the Java client does not record makes {@code auto} fall back to
 * GStreamer and say why; hostile servers (a header block beyond 64 KiB, interleaved garbage) show a protocol error while a camera of the simulator beside them records every
 * frame without a reconnect.
 */
class JavaEngineIT {

    @TempDir
    Path storage;
    @TempDir
    Path tls;

    @Test
    void recordsGstreamerRtspServerWithDigestAndOverTls() throws Exception {
        Path cert = tls.resolve("cert.pem");
        Path key = tls.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).as("openssl req").isZero();
        try (GstRtspServer digest = GstRtspServer.start(1, "--user", "agent", "--password", "s3cret", "--digest");
             GstRtspServer rtsps = GstRtspServer.start(1, "--user", "agent", "--password", "s3cret", "--digest",
                     "--tls-cert", cert.toString(), "--tls-key", key.toString())) {
            VmsConfig config = VmsConfig.parse("""
                    server: { bind-address: 127.0.0.1, http-port: 0, rtsp-port: 0 }
                    storage: { path: '%s', segment-duration: 3s }
                    cameras:
                      - { id: digest, url: '%s', username: agent, password: s3cret }
                      - { id: tls, url: '%s', username: agent, password: s3cret, tls-ca-file: '%s' }
                    """.formatted(storage, digest.url(1), rtsps.url(1).replace("rtsp://", "rtsps://"), cert));
            try (VmsServer server = VmsServer.start(config, InstantSource.system())) {
                for (String id : List.of("digest", "tls")) {
                    Camera cam = server.cameras().get(id).orElseThrow();
                    Await.until(id + " streaming", Duration.ofSeconds(30), () -> cam.state() == CameraState.STREAMING,
                            () -> String.valueOf(cam.mainStatus()));
                }
                Await.until("two closed segments per camera", Duration.ofSeconds(40), () -> List.of("digest", "tls")
                        .stream().allMatch(id -> server.recorder().catalog().segments(StreamKey.main(id)).size() >= 2));
                for (String id : List.of("digest", "tls")) {
                    CameraStatus s = server.cameras().get(id).orElseThrow().mainStatus();
                    assertThat(s.engine()).as("engine of %s", id).isEqualTo("java (auto)");
                    assertThat(s.reconnects()).as("reconnects of %s", id).isZero();
                    assertThat(s.framesDropped()).as("frames lost by %s", id).isZero();
                }
            }
            for (String id : List.of("digest", "tls")) {
                List<SegmentInfo> segments = org.vigie.recorder.storage.Catalog.load(storage).segments(StreamKey.main(id));
                assertThat(segments).as("segments of %s", id).hasSizeGreaterThanOrEqualTo(2);
                for (SegmentInfo seg : segments) {
                    Ffprobe.Probe p = Ffprobe.probe(seg.segment());
                    assertThat(p.codec()).isEqualTo("h264");
                    assertThat(p.width()).isEqualTo(320);
                    assertThat(p.firstFrameKey()).as("%s starts with a key frame", seg.segment()).isTrue();
                    assertThat(p.frames()).as("frames of %s", seg.segment()).isGreaterThan(10);
                }
            }
        }
    }

    @Test
    void aCodecTheJavaClientDoesNotRecordFallsBackToGstreamerAndSaysWhy() throws Exception {
        try (GstRtspServer vp8 = GstRtspServer.start(1, "--codec", "vp8")) {
            VmsConfig config = VmsConfig.parse("""
                    server: { bind-address: 127.0.0.1, http-port: 0, rtsp-port: 0 }
                    storage: { path: '%s' }
                    ingest: { reconnect-min: 100ms, reconnect-max: 300ms }
                    cameras:
                      - { id: vp8, url: '%s' }
                    """.formatted(storage, vp8.url(1)));
            try (VmsServer server = VmsServer.start(config, InstantSource.system())) {
                Camera cam = server.cameras().get("vp8").orElseThrow();
                // GStreamer does not record VP8 either: the state ends on GStreamer's own classification.
                Await.until("fallback to GStreamer, which reports the codec", Duration.ofSeconds(30), () -> {
                    CameraStatus s = cam.mainStatus();
                    return s.engine().startsWith("gstreamer (auto: the java client failed: ")
                            && s.lastError() != null && !s.lastError().detail().startsWith("java client:");
                }, () -> String.valueOf(cam.mainStatus()));
                assertThat(cam.mainStatus().engine()).contains("VP8");
                assertThat(cam.mainStatus().lastError().kind()).isEqualTo(IngestErrorKind.UNSUPPORTED_CODEC);
            }
        }
    }

    @Test
    void aCameraThatRefusesTcpIsRecordedByGstreamerOverUdp() throws Exception {
        // GStreamer's RTSP server serving RTP over UDP only answers the Java client's interleaved SETUP with
        // "461 Unsupported transport"; GStreamer over TCP would be refused the same way.
        try (GstRtspServer udpOnly = GstRtspServer.start(1, "--udp-only")) {
            VmsConfig config = VmsConfig.parse("""
                    server: { bind-address: 127.0.0.1, http-port: 0, rtsp-port: 0 }
                    storage: { path: '%s' }
                    ingest: { reconnect-min: 100ms, reconnect-max: 300ms }
                    cameras:
                      - { id: udp, url: '%s' }
                    """.formatted(storage, udpOnly.url(1)));
            try (VmsServer server = VmsServer.start(config, InstantSource.system())) {
                Camera cam = server.cameras().get("udp").orElseThrow();
                Await.until("recorded by GStreamer over UDP", Duration.ofSeconds(40), () -> {
                    CameraStatus s = cam.mainStatus();
                    return s.engine().startsWith("gstreamer over UDP (auto: the java client failed: ")
                            && cam.state() == CameraState.STREAMING && s.frames() >= 25;
                }, () -> String.valueOf(cam.mainStatus()));
                assertThat(cam.mainStatus().engine()).contains("461");
            }
        }
    }

    @Test
    void hostileServersFailTheirCameraOnlyWhileTheOtherRecordsEveryFrame() throws Exception {
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\n"
                + "a=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\na=control:track1\r\n";
        Function<String, byte[]> hugeHeader = req -> ("RTSP/1.0 200 OK\r\nCSeq: 1\r\nX-Junk: "
                + "a".repeat(100_000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (CameraSimulator good = CameraSimulator.start(0, 1, SimulatorOptions.defaults());
             HostilePeer huge = new HostilePeer(hugeHeader, null);
             HostilePeer garbage = new HostilePeer(req -> answer(req, sdp), garbageBytes(200_000))) {
            VmsConfig config = VmsConfig.parse("""
                    server: { bind-address: 127.0.0.1, http-port: 0, rtsp-port: 0 }
                    storage: { path: '%s', segment-duration: 10s }
                    ingest: { engine: java, reconnect-min: 100ms, reconnect-max: 500ms }
                    cameras:
                      - { id: good, url: '%s' }
                      - { id: huge, url: '%s' }
                      - { id: garbage, url: '%s' }
                    """.formatted(storage, good.url(good.cameraIds().get(0)), huge.url(), garbage.url()));
            try (VmsServer server = VmsServer.start(config, InstantSource.system())) {
                Camera goodCam = server.cameras().get("good").orElseThrow();
                Await.until("good streaming", Duration.ofSeconds(20), () -> goodCam.state() == CameraState.STREAMING);
                for (String id : List.of("huge", "garbage")) {
                    Camera cam = server.cameras().get(id).orElseThrow();
                    Await.until(id + " reports a protocol error, more than once", Duration.ofSeconds(30), () -> {
                        CameraStatus s = cam.mainStatus();
                        return s.lastError() != null && s.lastError().kind() == IngestErrorKind.PROTOCOL_ERROR
                                && s.reconnects() >= 2;
                    }, () -> String.valueOf(cam.mainStatus()));
                }
                assertThat(server.cameras().get("huge").orElseThrow().mainStatus().lastError().detail())
                        .contains("65536");
                long before = goodCam.mainStatus().frames();
                Thread.sleep(4_000);
                CameraStatus s = goodCam.mainStatus();
                assertThat(s.frames() - before).as("good camera's frames in 4 s").isBetween(95L, 105L);
                assertThat(s.reconnects()).isZero();
                assertThat(s.framesDropped()).isZero();
                assertThat(server.recorder().stats(StreamKey.main("good")).orElseThrow().framesDropped()).isZero();
            }
        }
    }

    private static byte[] answer(String request, String sdp) {
        String cseq = request.lines().filter(l -> l.regionMatches(true, 0, "CSeq:", 0, 5)).findFirst()
                .map(l -> l.substring(5).trim()).orElse("0");
        String method = request.substring(0, Math.max(0, request.indexOf(' ')));
        String extra = switch (method) {
            case "DESCRIBE" -> "Content-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;
            case "SETUP" -> "Session: 1234;timeout=60\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n";
            case "PLAY" -> "Session: 1234\r\n\r\n";
            default -> "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER\r\n\r\n";
        };
        return ("RTSP/1.0 200 OK\r\nCSeq: " + cseq + "\r\n" + extra).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] garbageBytes(int n) {
        byte[] b = new byte[n];
        new java.util.Random(11).nextBytes(b);
        return b;
    }

    /**
     * A TCP peer that answers each RTSP request with {@code answer}, and after the PLAY answer sends {@code media}
     * (then keeps the connection open). One thread per connection: a test peer, not product code.
     */
    private static final class HostilePeer implements AutoCloseable {
        private final ServerSocket socket;
        private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "hostile-peer");
            t.setDaemon(true);
            return t;
        });

        HostilePeer(Function<String, byte[]> answer, byte[] media) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            threads.execute(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        threads.execute(() -> serve(s, answer, media));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private static void serve(Socket s, Function<String, byte[]> answer, byte[] media) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                StringBuilder request = new StringBuilder();
                int c;
                while ((c = in.read()) >= 0) {
                    request.append((char) c);
                    if (request.length() >= 4 && request.substring(request.length() - 4).equals("\r\n\r\n")) {
                        String r = request.toString();
                        request.setLength(0);
                        out.write(answer.apply(r));
                        if (r.startsWith("PLAY") && media != null) {
                            out.write(media);
                        }
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the client gave up on us: expected
            }
        }

        String url() {
            return "rtsp://127.0.0.1:" + socket.getLocalPort() + "/cam";
        }

        @Override
        public void close() throws IOException {
            socket.close();
            threads.shutdownNow();
            try {
                threads.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
