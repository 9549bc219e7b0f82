package org.vigie.rtsp.client;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.vigie.rtsp.RtspLimits;
import org.vigie.rtsp.auth.Credentials;

/**
 * How to pull one camera stream with the Java client. Immutable; {@link #toString()} hides the password.
 *
 * @param url                   {@code rtsp://host[:port]/path} or {@code rtsps://...}, without credentials
 * @param credentials           user and password, or null
 * @param tls                   certificate checks for {@code rtsps://}
 * @param connectTimeout        TCP connection (and TLS handshake) timeout
 * @param responseTimeout       how long each RTSP answer may take
 * @param maxAccessUnitSize     bound of one access unit in bytes (8 MiB by default)
 * @param receiverReportInterval RTCP receiver report period (some cameras end sessions that send none)
 * @param maxRedirects          301/302 answers followed at most
 * @param userAgent             the {@code User-Agent} header
 */
public record RtspClientOptions(URI url, Credentials credentials, TlsSettings tls, Duration connectTimeout,
                                Duration responseTimeout, int maxAccessUnitSize, Duration receiverReportInterval,
                                int maxRedirects, String userAgent) {

    public RtspClientOptions {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(receiverReportInterval, "receiverReportInterval");
        Objects.requireNonNull(userAgent, "userAgent");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("rtsp") && !scheme.equals("rtsps")) {
            throw new IllegalArgumentException("not an RTSP URL: " + url.getScheme() + "://...");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("RTSP URL without host");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("put credentials in the options, not in the URL");
        }
        if (maxAccessUnitSize < 1024 || maxAccessUnitSize > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("maxAccessUnitSize must be within 1 KiB .. 64 MiB: " + maxAccessUnitSize);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || responseTimeout.isNegative()
                || responseTimeout.isZero() || receiverReportInterval.isNegative() || receiverReportInterval.isZero()) {
            throw new IllegalArgumentException("timeouts and intervals must be positive");
        }
        if (maxRedirects < 0 || maxRedirects > 10) {
            throw new IllegalArgumentException("maxRedirects must be within 0..10");
        }
    }

    /** No credentials, system trust store, 10 s timeouts, 8 MiB access units, receiver reports every 5 s. */
    public static RtspClientOptions of(URI url) {
        return new RtspClientOptions(url, null, TlsSettings.SYSTEM, Duration.ofSeconds(10), Duration.ofSeconds(10),
                RtspLimits.DEFAULT_MAX_ACCESS_UNIT, Duration.ofSeconds(5), 3, "Vigie");
    }

    public RtspClientOptions withCredentials(Credentials c) {
        return new RtspClientOptions(url, c, tls, connectTimeout, responseTimeout, maxAccessUnitSize,
                receiverReportInterval, maxRedirects, userAgent);
    }

    public RtspClientOptions withTls(TlsSettings t) {
        return new RtspClientOptions(url, credentials, t, connectTimeout, responseTimeout, maxAccessUnitSize,
                receiverReportInterval, maxRedirects, userAgent);
    }

    public RtspClientOptions withTimeouts(Duration connect, Duration response) {
        return new RtspClientOptions(url, credentials, tls, connect, response, maxAccessUnitSize,
                receiverReportInterval, maxRedirects, userAgent);
    }

    public RtspClientOptions withMaxAccessUnitSize(int bytes) {
        return new RtspClientOptions(url, credentials, tls, connectTimeout, responseTimeout, bytes,
                receiverReportInterval, maxRedirects, userAgent);
    }

    public RtspClientOptions withReceiverReportInterval(Duration d) {
        return new RtspClientOptions(url, credentials, tls, connectTimeout, responseTimeout, maxAccessUnitSize, d,
                maxRedirects, userAgent);
    }

    public boolean secure() {
        return url.getScheme().equalsIgnoreCase("rtsps");
    }

    @Override
    public String toString() {
        return "RtspClientOptions[" + url + (credentials != null ? " user=" + credentials.user() + " password=***" : "")
                + (secure() ? " tls=" + (tls.insecure() ? "insecure" : tls.caFile() != null ? tls.caFile() : "system") : "")
                + "]";
    }
}
