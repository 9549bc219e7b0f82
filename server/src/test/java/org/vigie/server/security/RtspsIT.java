package org.vigie.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.ingest.CameraState;
import org.vigie.server.VmsServer;
import org.vigie.testing.ApiClient;
import org.vigie.server.config.ConfigException;
import org.vigie.server.config.VmsConfig;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.testing.Await;
import org.vigie.testing.Ffprobe;
import org.vigie.testing.RtspTestClient;

/**
 * Security review, "credentials travel in clear by default" (issue 9): with a {@code tls} section the re-stream is
 * also offered over TLS ({@code rtsps://}, its own port, the HTTPS certificate), which ffprobe reads; with
 * {@code server.rtsp-require-tls} the plain port refuses every request but OPTIONS with 403 naming the rtsps://
 * port, and never reads a password sent in clear (no 401 challenge that would invite one).
 */
class RtspsIT {

    static final String PASSWORD = "rtsps-operator-password";

    @TempDir
    Path dir;

    @Test
    void ffprobeReadsTheReStreamOverTlsAndThePlainPortRefusesCredentials() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl made a certificate").isTrue();
        try (CameraSimulator sim = CameraSimulator.start(0, 1, SimulatorOptions.defaults());
             VmsServer server = VmsServer.start(VmsConfig.parse("""
                     server: { bind-address: 127.0.0.1, http-port: 0, rtsp-port: 0, rtsps-port: 0,
                               rtsp-require-tls: true }
                     storage: { path: '%s' }
                     auth: { admin-password: 'rtsps-admin-pw', argon2-memory-kib: 64, argon2-iterations: 1 }
                     tls: { certificate: '%s', private-key: '%s' }
                     cameras:
                       - { id: cam-1, url: '%s' }
                     """.formatted(dir.resolve("rec"), cert, key, sim.url(sim.cameraIds().get(0)))),
                     InstantSource.system())) {
            Await.until("camera streaming", Duration.ofSeconds(30),
                    () -> server.cameras().list().get(0).state() == CameraState.STREAMING);
            assertThat(server.rtspsPort()).isPositive().isNotEqualTo(server.rtspPort());
            createOperator(server.httpPort(), cert);

            Ffprobe.Result probe = Ffprobe.rtsp("tcp", "rtsps://op:" + PASSWORD + "@127.0.0.1:" + server.rtspsPort()
                    + "/live/cam-1");
            assertThat(probe.exitCode()).as(probe.stderr()).isZero();
            assertThat(probe.stdout()).contains("codec_name=h264");
            assertThat(setUpOverTls(server.rtspsPort(), cert, "RTP/AVP;unicast;client_port=5000-5001"))
                    .as("RTP over UDP would leave the TLS connection in clear").startsWith("RTSP/1.0 461");
            assertThat(setUpOverTls(server.rtspsPort(), cert, "RTP/AVP/TCP;unicast;interleaved=0-1"))
                    .startsWith("RTSP/1.0 200");

            try (RtspTestClient c = new RtspTestClient(server.rtspPort()).basicAuth("op", PASSWORD)) {
                RtspTestClient.Reply d = c.request("DESCRIBE", "rtsp://127.0.0.1:" + server.rtspPort()
                        + "/live/cam-1", Map.of("Accept", "application/sdp"));
                assertThat(d.status()).as(d.body()).isEqualTo(403);
                assertThat(d.body()).contains("rtsps://").contains(String.valueOf(server.rtspsPort()));
            }
            try (RtspTestClient c = new RtspTestClient(server.rtspPort())) {
                RtspTestClient.Reply d = c.request("DESCRIBE", "rtsp://127.0.0.1:" + server.rtspPort()
                        + "/live/cam-1", Map.of());
                assertThat(d.status()).as("no challenge inviting a password in clear").isEqualTo(403);
                assertThat(d.header("WWW-Authenticate")).isNull();
            }
            Ffprobe.Result clear = Ffprobe.rtsp("tcp", "rtsp://op:" + PASSWORD + "@127.0.0.1:" + server.rtspPort()
                    + "/live/cam-1");
            assertThat(clear.exitCode()).as("ffprobe over plain RTSP").isNotZero();
            assertThat(clear.stderr()).contains("403");
        }
    }

    /** The status line of a SETUP of cam-1 with {@code transport} over rtsps:// (after a DESCRIBE), as {@code op}. */
    static String setUpOverTls(int port, Path cert, String transport) throws Exception {
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) trusting(cert).getSocketFactory()
                .createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            var out = s.getOutputStream();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.ISO_8859_1));
            String auth = "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString(("op:" + PASSWORD)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\r\n";
            String url = "rtsps://127.0.0.1:" + port + "/live/cam-1";
            out.write(("DESCRIBE " + url + " RTSP/1.0\r\nCSeq: 1\r\n" + auth + "\r\n").getBytes());
            int length = 0;
            for (String l = in.readLine(); !l.isEmpty(); l = in.readLine()) {
                if (l.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(l.substring(15).trim());
            }
            in.skip(length);
            out.write(("SETUP " + url + "/trackID=0 RTSP/1.0\r\nCSeq: 2\r\n" + auth + "Transport: " + transport
                    + "\r\n\r\n").getBytes());
            return in.readLine();
        }
    }

    /** A TLS context trusting the test's self-signed certificate only. */
    static javax.net.ssl.SSLContext trusting(Path cert) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        ks.load(null, null);
        try (var in = java.nio.file.Files.newInputStream(cert)) {
            ks.setCertificateEntry("vms", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** The operator {@code op} granted cam-1, created over the HTTPS API (trusting the test's certificate). */
    static void createOperator(int port, Path cert) throws Exception {
        javax.net.ssl.SSLContext ctx = trusting(cert);
        HttpClient https = HttpClient.newBuilder().sslContext(ctx).build();
        String base = "https://127.0.0.1:" + port + "/api/v1";
        HttpResponse<String> login = https.send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"rtsps-admin-pw\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String token = ApiClient.json(login).path("token").asText();
        HttpResponse<String> created = https.send(HttpRequest.newBuilder(URI.create(base + "/users"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ApiClient.JSON.writeValueAsString(Map.of("username", "op",
                        "password", PASSWORD, "role", "operator", "cameras", List.of("cam-1"))))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void requiringTlsForRtspNeedsTheTlsSection() {
        assertThatThrownBy(() -> VmsConfig.parse("server: { rtsp-require-tls: true }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.rtsp-require-tls");
    }
}
