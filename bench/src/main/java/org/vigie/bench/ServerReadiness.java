package org.vigie.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells when a benchmarked server records every camera: it logs in as the administrator the bench configured
 * ({@code auth.admin-password}) and reads its Prometheus metrics until {@code vms_camera_state} says
 * {@code streaming} for each main stream. A measurement window that started after a fixed warm-up measured, on a
 * loaded machine, a server still connecting its cameras (issue 11: {@code IngestBenchIT} failed once at load 90).
 */
final class ServerReadiness {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STREAMING = Pattern.compile(
            "^vms_camera_state\\{(?=[^}]*state=\"streaming\")(?=[^}]*stream=\"main\")[^}]*} 1(\\.0)?$",
            Pattern.MULTILINE);

    private ServerReadiness() {
    }

    /** A password for the bench's administrator, fresh for each server. */
    static String newPassword() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The main streams a Prometheus exposition says are streaming. */
    static int streamingCameras(String exposition) {
        Matcher m = STREAMING.matcher(exposition);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /**
     * Waits until {@code cameras} main streams are streaming.
     *
     * @throws IOException when the server exits, or not every camera streams within {@code timeout} (the message
     *                     says how many did)
     */
    static Duration awaitStreaming(Process server, int httpPort, String password, int cameras, Duration timeout)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI base = URI.create("http://127.0.0.1:" + httpPort);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String token = null;
        int streaming = 0;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IOException("the server exited with " + server.exitValue() + " before every camera streamed");
            }
            try {
                if (token == null) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/login"))
                            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"username\":\"admin\",\"password\":\"" + password + "\"}"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    Matcher m = TOKEN.matcher(r.body());
                    if (r.statusCode() == 200 && m.find()) {
                        token = m.group(1);
                    }
                }
                if (token != null) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                            .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        streaming = streamingCameras(r.body());
                        if (streaming >= cameras) {
                            return Duration.ofNanos(System.nanoTime() - start);
                        }
                    }
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IOException("only " + streaming + " of " + cameras + " cameras streaming after " + timeout.toSeconds()
                + " s");
    }
}
