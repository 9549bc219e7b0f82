package org.vigie.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.vigie.cluster.NodeInfo;

/**
 * Calls another node's API on behalf of a user (issue 13), signed with {@link NodeCredentials}: the snapshot and
 * export routes of a camera whose bytes are there. Blocking; thread-safe (one shared {@link HttpClient}).
 */
public final class NodeClient {

    /** The streaming endpoint's path (playback's {@code StreamEndpoint.PATH}). */
    public static final String STREAM_PATH = "/api/v1/stream";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final NodeCredentials credentials;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public NodeClient(NodeCredentials credentials) {
        this.credentials = credentials;
    }

    /**
     * Sends {@code method path?query} to {@code node} as {@code user}; the body is streamed (the caller closes it).
     *
     * @param rawPathAndQuery the path and raw query as received (the path part is signed)
     * @param range           the client's Range header, or null
     * @param timeout         how long to wait for the response's head
     */
    public HttpResponse<InputStream> send(NodeInfo node, String method, String rawPathAndQuery, String user,
                                          String range, Duration timeout) throws IOException, InterruptedException {
        URI base = URI.create(node.api());
        URI uri = base.resolve(rawPathAndQuery);
        String path = uri.getRawPath();
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", credentials.sign(method, decode(path), user))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (range != null) b.header("Range", range);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The WebSocket endpoint of a node ({@code ws://} or {@code wss://} from its advertised API). */
    public static URI streamUri(NodeInfo node) {
        URI api = URI.create(node.api());
        String scheme = "https".equalsIgnoreCase(api.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + "://" + api.getRawAuthority() + STREAM_PATH);
    }

    public NodeCredentials credentials() {
        return credentials;
    }

    private static String decode(String rawPath) {
        return java.net.URLDecoder.decode(rawPath.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
