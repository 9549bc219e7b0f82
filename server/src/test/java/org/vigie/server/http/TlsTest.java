package org.vigie.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.VmsServer;
import org.vigie.server.config.ConfigException;
import org.vigie.server.config.VmsConfig;
import org.vigie.systemd.SystemdNotifier;

/** HTTPS with the PEM files of the configuration: a client trusting that certificate logs in; plain HTTP fails. */
class TlsTest {

    @TempDir
    Path dir;

    @Test
    void apiIsServedOverTlsWithThePemFiles() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl absent");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();

        VmsConfig config = VmsConfig.parse("""
                server: { bind-address: 127.0.0.1, http-port: 0 }
                storage: { path: '%s' }
                auth: { admin-password: 'tls-admin-pw', argon2-memory-kib: 64, argon2-iterations: 1 }
                tls: { certificate: '%s', private-key: '%s' }
                """.formatted(dir.resolve("rec"), cert, key));
        try (VmsServer server = VmsServer.start(config, InstantSource.system(), new SystemdNotifier(null, null), null)) {
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).connectTimeout(Duration.ofSeconds(30))
                    .build();
            String base = "https://127.0.0.1:" + server.httpPort();
            HttpResponse<String> login = https.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"tls-admin-pw\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("\"token\":\"vt_");

            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.httpPort() + "/healthz")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void certificateWithoutKeyIsAConfigurationError() {
        assertThatThrownBy(() -> VmsConfig.parse("tls: { certificate: /etc/hostname }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tls.private-key");
        assertThatThrownBy(() -> VmsConfig.parse("tls: { certificate: /nonexistent.pem, private-key: /nonexistent.key }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read PEM file");
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            ks.setCertificateEntry("vms", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
