package org.vigie.camera.onvif;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.CameraDriverException.Kind;
import org.vigie.camera.Credentials;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * SOAP 1.2 over HTTP for one camera: wraps a body in an envelope with a WS-UsernameToken stamped with the
 * camera's clock, answers HTTP Digest/Basic challenges, bounds every exchange in time and size, and turns every
 * failure into a {@link CameraDriverException} of the right {@link Kind}.
 *
 * <p>Invariants: no call waits longer than its timeout (HTTP request timeout plus a hard {@code orTimeout} on the
 * whole exchange, body included); no answer larger than {@value #MAX_ANSWER_BYTES} bytes is read; answers are
 * parsed by {@link SecureXml} only. Thread-safe: the clock offset and the last HTTP challenge are volatile.
 *
 * <p>Debug switch: set logger {@code org.vigie.camera.onvif.traffic} to DEBUG to dump every request and answer
 * (passwords appear only as digests), which is how fixtures under {@code camera/<vendor>/} are captured.
 */
public final class SoapClient {

    static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
    static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;
    private static final Logger TRAFFIC = LoggerFactory.getLogger("org.vigie.camera.onvif.traffic");

    private final HttpClient http;
    private final Credentials credentials;
    private final InstantSource clock;
    private final Duration requestTimeout;
    private final WsUsernameToken usernameToken;
    private final HttpAuthorization httpAuthorization;
    private final boolean basicOverHttp;
    private volatile Duration clockOffset = Duration.ZERO;
    private volatile List<String> lastChallenge = List.of();

    /**
     * @param http           the shared HTTP client; give it a connect timeout ({@link #newHttpClient(Duration)})
     * @param requestTimeout bound of one ordinary request, connection included
     */
    public SoapClient(HttpClient http, Credentials credentials, InstantSource clock, Duration requestTimeout) {
        this(http, credentials, clock, requestTimeout, false);
    }

    /**
     * @param basicOverHttp whether HTTP Basic may answer a challenge over plain {@code http://} (the password then
     *                      travels in clear to whoever asked): only when the camera's configuration says so;
     *                      Digest and Basic over {@code https://} are always answered
     */
    public SoapClient(HttpClient http, Credentials credentials, InstantSource clock, Duration requestTimeout,
                      boolean basicOverHttp) {
        this.basicOverHttp = basicOverHttp;
        this.http = Objects.requireNonNull(http, "http");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        SecureRandom random = new SecureRandom();
        this.usernameToken = new WsUsernameToken(random);
        this.httpAuthorization = new HttpAuthorization(random);
    }

    /** An HTTP client suitable for cameras: bounded connect time, HTTP/1.1 (cameras rarely speak h2c). */
    public static HttpClient newHttpClient(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Camera UTC minus local UTC, applied to every WS-UsernameToken {@code Created} stamp. */
    public Duration clockOffset() {
        return clockOffset;
    }

    public void clockOffset(Duration offset) {
        this.clockOffset = Objects.requireNonNull(offset, "offset");
    }

    public InstantSource clock() {
        return clock;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Calls an operation with authentication and the ordinary timeout; returns the Body's response element. */
    public Element call(URI endpoint, String body) throws CameraDriverException {
        return await(callAsync(endpoint, "", body, requestTimeout, true));
    }

    /** Same as {@link #call} without credentials (for {@code GetSystemDateAndTime}, which ONVIF leaves open). */
    public Element callAnonymous(URI endpoint, String body) throws CameraDriverException {
        return await(callAsync(endpoint, "", body, requestTimeout, false));
    }

    /**
     * The asynchronous form. {@code extraHeaders} are SOAP header elements (e.g. WS-Addressing) added next to the
     * security header. The future fails with a {@link CameraDriverException} (possibly wrapped in a
     * {@link CompletionException}; use {@link #unwrap(Throwable)}).
     */
    public CompletableFuture<Element> callAsync(URI endpoint, String extraHeaders, String body, Duration timeout,
                                                boolean authenticate) {
        return exchange(endpoint, extraHeaders, body, timeout, authenticate, false)
                .orTimeout(timeout.toMillis() + 500, java.util.concurrent.TimeUnit.MILLISECONDS)
                .exceptionallyCompose(t -> CompletableFuture.failedFuture(unwrap(t, endpoint)));
    }

    private CompletableFuture<Element> exchange(URI endpoint, String extraHeaders, String body, Duration timeout,
                                                boolean authenticate, boolean retried) {
        boolean useCredentials = authenticate && credentials.isPresent();
        String envelope = envelope(useCredentials ? usernameToken.header(credentials, cameraNow()) : "",
                extraHeaders, body);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/soap+xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(envelope, StandardCharsets.UTF_8));
        if (useCredentials && !lastChallenge.isEmpty()) {
            httpAuthorization.answer(lastChallenge, credentials, "POST", requestTarget(endpoint), basicAllowed(endpoint))
                    .ifPresent(h -> request.header("Authorization", h));
        }
        TRAFFIC.debug(">>> {}\n{}", endpoint, envelope);
        return http.sendAsync(request.build(), LimitedBody.handler(MAX_ANSWER_BYTES)).thenCompose(response -> {
            TRAFFIC.debug("<<< {} HTTP {}\n{}", endpoint, response.statusCode(),
                    new String(response.body(), StandardCharsets.UTF_8));
            if (response.statusCode() == 401 && useCredentials && !retried) {
                List<String> challenge = response.headers().allValues("WWW-Authenticate");
                if (!challenge.isEmpty() && !challenge.equals(lastChallenge)) {
                    lastChallenge = challenge;
                    return exchange(endpoint, extraHeaders, body, timeout, authenticate, true);
                }
            }
            try {
                return CompletableFuture.completedFuture(interpret(endpoint, response));
            } catch (CameraDriverException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /** GETs a resource (a snapshot) with HTTP Digest/Basic authentication, at most {@code maxBytes}. */
    public CompletableFuture<HttpResponse<byte[]>> getAsync(URI uri, int maxBytes) {
        return get(uri, maxBytes, List.of(), false)
                .orTimeout(requestTimeout.toMillis() + 500, java.util.concurrent.TimeUnit.MILLISECONDS)
                .exceptionallyCompose(t -> CompletableFuture.failedFuture(unwrap(t, uri)));
    }

    private CompletableFuture<HttpResponse<byte[]>> get(URI uri, int maxBytes, List<String> challenge,
                                                         boolean retried) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
        if (credentials.isPresent() && !challenge.isEmpty()) {
            httpAuthorization.answer(challenge, credentials, "GET", requestTarget(uri), basicAllowed(uri))
                    .ifPresent(h -> request.header("Authorization", h));
        }
        return http.sendAsync(request.build(), LimitedBody.handler(maxBytes)).thenCompose(response -> {
            if (response.statusCode() == 401 && credentials.isPresent() && !retried) {
                List<String> c = response.headers().allValues("WWW-Authenticate");
                if (!c.isEmpty()) {
                    return get(uri, maxBytes, c, true);
                }
            }
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                return CompletableFuture.failedFuture(new CameraDriverException(Kind.AUTHENTICATION,
                        "HTTP " + response.statusCode() + " from " + uri));
            }
            return CompletableFuture.completedFuture(response);
        });
    }

    private boolean basicAllowed(URI uri) {
        return basicOverHttp || "https".equalsIgnoreCase(uri.getScheme());
    }

    private Instant cameraNow() {
        return clock.instant().plus(clockOffset);
    }

    private static String requestTarget(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    static String envelope(String security, String extraHeaders, String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope xmlns:s=\"" + SOAP12 + "\"><s:Header>"
                + security + extraHeaders + "</s:Header><s:Body>" + body + "</s:Body></s:Envelope>";
    }

    private static Element interpret(URI endpoint, HttpResponse<byte[]> response) throws CameraDriverException {
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new CameraDriverException(Kind.AUTHENTICATION, "HTTP " + status + " from " + endpoint);
        }
        if (status == 404 || status == 405 || status == 501) {
            throw new CameraDriverException(Kind.UNSUPPORTED, "HTTP " + status + " from " + endpoint);
        }
        byte[] bytes = response.body();
        if (bytes.length == 0) {
            throw new CameraDriverException(status == 200 ? Kind.MALFORMED : Kind.SOAP_FAULT,
                    "empty answer, HTTP " + status + " from " + endpoint);
        }
        Document doc = SecureXml.parse(bytes);
        Element root = doc.getDocumentElement();
        if (!"Envelope".equals(root.getLocalName())) {
            throw new CameraDriverException(Kind.MALFORMED, "not a SOAP envelope: <" + root.getNodeName() + ">");
        }
        Element body = SecureXml.child(root, "Body").orElseThrow(() ->
                new CameraDriverException(Kind.MALFORMED, "SOAP envelope without Body from " + endpoint));
        Optional<Element> first = SecureXml.firstChild(body);
        if (first.isPresent() && "Fault".equals(first.get().getLocalName())) {
            throw SoapFault.toException(first.get(), endpoint);
        }
        if (status != 200) {
            throw new CameraDriverException(Kind.SOAP_FAULT, "HTTP " + status + " from " + endpoint);
        }
        return first.orElseThrow(() -> new CameraDriverException(Kind.MALFORMED, "empty SOAP Body from " + endpoint));
    }

    /** Waits for an asynchronous call; the future is already bounded in time. */
    static <T> T await(CompletableFuture<T> future) throws CameraDriverException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw unwrap(e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new CameraDriverException(Kind.TIMEOUT, "interrupted", e);
        }
    }

    /** Maps any failure of an exchange onto a {@link CameraDriverException}. */
    public static CameraDriverException unwrap(Throwable t) {
        return unwrap(t, null);
    }

    static CameraDriverException unwrap(Throwable t, URI endpoint) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        String where = endpoint == null ? "" : " (" + endpoint + ")";
        if (c instanceof CameraDriverException e) {
            return e;
        }
        if (c instanceof HttpConnectTimeoutException) {
            return new CameraDriverException(Kind.UNREACHABLE, "connect timed out" + where, c);
        }
        if (c instanceof HttpTimeoutException || c instanceof TimeoutException) {
            return new CameraDriverException(Kind.TIMEOUT, "no answer in time" + where, c);
        }
        if (c instanceof LimitedBody.TooLargeException) {
            return new CameraDriverException(Kind.MALFORMED, c.getMessage() + where, c);
        }
        if (c instanceof ConnectException || c instanceof UnresolvedAddressException
                || c instanceof java.net.UnknownHostException) {
            return new CameraDriverException(Kind.UNREACHABLE, "cannot connect" + where + ": " + c, c);
        }
        if (c instanceof IOException) {
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            Kind kind = m.contains("timed out") ? Kind.TIMEOUT : Kind.UNREACHABLE;
            return new CameraDriverException(kind, "I/O failure" + where + ": " + c, c);
        }
        return new CameraDriverException(Kind.MALFORMED, "unexpected failure" + where + ": " + c, c);
    }
}
