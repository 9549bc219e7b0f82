package org.vigie.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A test client of the server's HTTP API on 127.0.0.1 (java.net.http), holding a bearer token once logged in. */
public final class ApiClient {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private String token;

    public ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public void token(String t) {
        this.token = t;
    }

    public String token() {
        return token;
    }

    /** Logs in and keeps the token; fails the test on anything but 200. */
    public ApiClient login(String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", "/api/v1/auth/login", Map.of("username", user, "password", password));
        if (r.statusCode() != 200) throw new AssertionError("login " + user + ": " + r.statusCode() + " " + r.body());
        token = json(r).get("token").asText();
        return this;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    public HttpResponse<String> send(String method, String path, Object body) throws IOException, InterruptedException {
        String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        return raw(method, path, text, token);
    }

    public HttpResponse<String> raw(String method, String path, String body, String bearer)
            throws IOException, InterruptedException {
        return http.send(request(method, path, body, bearer == null ? null : "Bearer " + bearer, TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with this {@code Authorization} header as it is (a node's signature, say), or none if null. */
    public HttpResponse<String> getAs(String authorization, String path) throws IOException, InterruptedException {
        return http.send(request("GET", path, null, authorization, TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET of bytes (an export, a snapshot) with the token, answered within {@code timeout}. */
    public HttpResponse<byte[]> bytes(String path, Duration timeout) throws IOException, InterruptedException {
        return http.send(request("GET", path, null, token == null ? null : "Bearer " + token, timeout).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder request(String method, String path, String body, String authorization,
            Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        if (authorization != null) b.header("Authorization", authorization);
        return b;
    }

    public static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }
}
