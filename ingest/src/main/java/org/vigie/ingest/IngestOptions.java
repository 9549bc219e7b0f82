package org.vigie.ingest;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;

/**
 * How to pull one camera stream: the RTSP URL (without credentials), optional credentials, the transport and
 * rtspsrc/appsink tuning. Immutable.
 *
 * @param url             {@code rtsp://host[:port]/path}; credentials go in {@code user}/{@code password}
 * @param user            user name, or null when the camera needs none
 * @param password        password, or null
 * @param transport       RTP over TCP (default, firewall-friendly) or UDP
 * @param latency         rtspsrc jitter-buffer latency; bounded, since it delays every frame
 * @param tcpTimeout      rtspsrc fails after this long without an answer on the RTSP TCP connection
 * @param appSinkMaxBuffers appsink queue bound (the callback drains it on the streaming thread, so it stays near 1)
 * @param referenceTimestamps ask rtspsrc to attach the RTCP sender-report NTP time to each buffer
 * @param sourceProperties extra rtspsrc properties set last, as strings through GStreamer's own deserialiser
 *                         (e.g. {@code buffer-mode=none}): per-camera tuning and measurement; sorted, immutable
 */
public record IngestOptions(URI url, String user, String password, Transport transport, Duration latency,
                            Duration tcpTimeout, int appSinkMaxBuffers, boolean referenceTimestamps,
                            Map<String, String> sourceProperties) {

    public IngestOptions {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(tcpTimeout, "tcpTimeout");
        if (!"rtsp".equalsIgnoreCase(url.getScheme()) && !"rtsps".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("not an RTSP URL: " + url);
        }
        if (url.getUserInfo() != null) {
            throw new IllegalArgumentException("put credentials in user/password, not in the URL");
        }
        if (latency.isNegative() || latency.toMillis() > 10_000) {
            throw new IllegalArgumentException("latency must be within 0..10 s: " + latency);
        }
        if (tcpTimeout.isNegative() || tcpTimeout.isZero()) {
            throw new IllegalArgumentException("tcpTimeout must be positive: " + tcpTimeout);
        }
        if (appSinkMaxBuffers < 1) {
            throw new IllegalArgumentException("appSinkMaxBuffers must be >= 1: " + appSinkMaxBuffers);
        }
        sourceProperties = Map.copyOf(new TreeMap<>(Objects.requireNonNull(sourceProperties, "sourceProperties")));
        for (String name : sourceProperties.keySet()) {
            if (!name.matches("[a-z][a-z0-9-]*") || name.equals("location") || name.startsWith("user-")) {
                throw new IllegalArgumentException("not a tunable rtspsrc property: " + name);
            }
        }
    }

    /** TCP, 200 ms latency, 10 s TCP timeout, appsink bound 16, reference timestamps on. */
    public static IngestOptions of(URI url) {
        return new IngestOptions(url, null, null, Transport.TCP, Duration.ofMillis(200), Duration.ofSeconds(10),
                16, true, Map.of());
    }

    public IngestOptions withCredentials(String user, String password) {
        return new IngestOptions(url, user, password, transport, latency, tcpTimeout, appSinkMaxBuffers,
                referenceTimestamps, sourceProperties);
    }

    public IngestOptions withTransport(Transport t) {
        return new IngestOptions(url, user, password, t, latency, tcpTimeout, appSinkMaxBuffers, referenceTimestamps,
                sourceProperties);
    }

    public IngestOptions withLatency(Duration l) {
        return new IngestOptions(url, user, password, transport, l, tcpTimeout, appSinkMaxBuffers, referenceTimestamps,
                sourceProperties);
    }

    public IngestOptions withTcpTimeout(Duration t) {
        return new IngestOptions(url, user, password, transport, latency, t, appSinkMaxBuffers, referenceTimestamps,
                sourceProperties);
    }

    public IngestOptions withReferenceTimestamps(boolean on) {
        return new IngestOptions(url, user, password, transport, latency, tcpTimeout, appSinkMaxBuffers, on,
                sourceProperties);
    }

    /** The same options with one more rtspsrc property (replacing an earlier value of the same name). */
    public IngestOptions withSourceProperty(String name, String value) {
        Map<String, String> m = new TreeMap<>(sourceProperties);
        m.put(name, Objects.requireNonNull(value, "value"));
        return new IngestOptions(url, user, password, transport, latency, tcpTimeout, appSinkMaxBuffers,
                referenceTimestamps, m);
    }

    @Override
    public String toString() {
        return "IngestOptions[" + url + (user != null ? " user=" + user + " password=***" : "") + " " + transport
                + " latency=" + latency.toMillis() + "ms" + (sourceProperties.isEmpty() ? "" : " " + sourceProperties)
                + "]";
    }
}
