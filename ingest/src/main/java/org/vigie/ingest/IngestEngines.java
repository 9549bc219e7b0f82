package org.vigie.ingest;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.rtsp.auth.Credentials;
import org.vigie.rtsp.client.RtspClient;
import org.vigie.rtsp.client.RtspClientException;
import org.vigie.rtsp.client.RtspClientOptions;
import org.vigie.rtsp.client.TlsSettings;

/**
 * The engine of one supervised camera stream, as configured ({@code ingest.engine}, overridable per camera):
 * <ul>
 *   <li>{@code java}: the Java RTSP client on Netty's event loops (RTP interleaved over TCP, H.264/H.265,
 *       {@code rtsps://});</li>
 *   <li>{@code gstreamer}: GStreamer's {@code rtspsrc} pipeline;</li>
 *   <li>{@code auto} (the default): the Java client for {@code rtsp://} over TCP and {@code rtsps://}; GStreamer for
 *       RTP over UDP, and from the first time the Java client fails on something it does not support (a codec, a
 *       transport, an authentication scheme) or on a bug of its own, for the life of this stream's supervisor.
 *       A camera that refuses RTP over TCP ({@code 461 Unsupported Transport}) on {@code rtsp://} is then pulled
 *       by GStreamer over UDP (over TCP it would be refused again); on {@code rtsps://} it stays on TCP (RTP over
 *       UDP would leave the media in clear beside a TLS connection).</li>
 * </ul>
 * {@link #describe()} names the engine in use and why, for the camera's state.
 *
 * <p>Threads: {@link #open} runs under the supervisor's lock; the fallback decision is written from a session's event
 * loop and read by the next {@code open}, hence volatile.
 */
public final class IngestEngines implements IngestEngine {

    private static final Logger LOG = LoggerFactory.getLogger(IngestEngines.class);

    /** The configured choice. */
    public enum Choice { AUTO, JAVA, GSTREAMER }

    private final Choice choice;
    private final Supplier<RtspClient> client;
    private final TlsSettings tls;
    private final IngestEngine gstreamer;
    private volatile String fallback;
    /** The fallback pulls over UDP: the camera refused TCP (461). */
    private volatile boolean fallbackUdp;
    private volatile String inUse;

    /**
     * @param client    the shared Java client (made on first use)
     * @param tls       how an {@code rtsps://} camera's certificate is checked by the Java client
     * @param gstreamer GStreamer's engine (native's {@code GstIngestEngine}; tests inject faults through it)
     */
    public IngestEngines(Choice choice, Supplier<RtspClient> client, TlsSettings tls, IngestEngine gstreamer) {
        this.choice = Objects.requireNonNull(choice, "choice");
        this.client = Objects.requireNonNull(client, "client");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.gstreamer = Objects.requireNonNull(gstreamer, "gstreamer");
        this.inUse = choice.name().toLowerCase(Locale.ROOT);
    }

    /** A per-camera CA file, an explicit opt-out for self-signed cameras, or the system store. */
    public static TlsSettings tls(Path caFile, boolean insecure) {
        return caFile == null && !insecure ? TlsSettings.SYSTEM : new TlsSettings(caFile, insecure);
    }

    @Override
    public IngestSession open(StreamKey key, long sessionId, IngestOptions options, FrameSink sink,
                              IngestSession.Events events, InstantSource clock, WallClock wallClock,
                              IngestCounters counters) {
        boolean java = switch (choice) {
            case JAVA -> true;
            case GSTREAMER -> false;
            case AUTO -> javaReason(options) == null && fallback == null;
        };
        inUse = describe(options);
        if (!java) {
            IngestOptions o = choice == Choice.AUTO && fallback != null && fallbackUdp
                    ? options.withTransport(Transport.UDP) : options;
            return gstreamer.open(key, sessionId, o, sink, events, clock, wallClock, counters);
        }
        return new JavaIngestSession(key, sessionId, client.get(), clientOptions(options, tls), sink, events, clock,
                wallClock, counters, failure -> onJavaFailure(key, options.url(), failure));
    }

    /** Why {@code auto} does not choose the Java client for these options, or null when it does. */
    private static String javaReason(IngestOptions options) {
        String scheme = options.url().getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("rtsp") && options.transport() == Transport.UDP) {
            return "RTP over UDP";
        }
        return null;
    }

    // package-private for IngestEnginesTest
    void onJavaFailure(StreamKey key, java.net.URI url, RtspClientException failure) {
        if (choice != Choice.AUTO || fallback != null) {
            return;
        }
        if (failure.kind().unsupported() || failure.kind() == RtspClientException.Kind.INTERNAL) {
            fallbackUdp = failure.status() == 461
                    && "rtsp".equalsIgnoreCase(url.getScheme());
            fallback = failure.getMessage();
            inUse = fallbackDescription();
            LOG.warn("{}: the Java client cannot record this camera ({}); GStreamer takes over", key, fallback);
        }
    }

    static RtspClientOptions clientOptions(IngestOptions o, TlsSettings tls) {
        RtspClientOptions c = RtspClientOptions.of(o.url()).withTimeouts(o.tcpTimeout(), o.tcpTimeout())
                .withTls(tls);
        if (o.user() != null) {
            c = c.withCredentials(new Credentials(o.user(), o.password() == null ? "" : o.password()));
        }
        return c;
    }

    /** The engine of the current (or next) session and why: {@code java (auto)}, {@code gstreamer (auto: ...)}... */
    @Override
    public String describe() {
        return inUse;
    }

    private String fallbackDescription() {
        return (fallbackUdp ? "gstreamer over UDP" : "gstreamer") + " (auto: the java client failed: " + fallback + ")";
    }

    private String describe(IngestOptions options) {
        return switch (choice) {
            case JAVA -> "java";
            case GSTREAMER -> "gstreamer";
            case AUTO -> {
                String why = javaReason(options);
                yield why != null ? "gstreamer (auto: " + why + ")" : fallback != null ? fallbackDescription()
                        : "java (auto)";
            }
        };
    }
}
