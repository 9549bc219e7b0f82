package org.vigie.playback;

import io.netty.channel.ChannelHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.vigie.media.Frame;
import org.vigie.media.StreamKey;
import org.vigie.playback.archive.KeyFrameSeek;
import org.vigie.playback.export.EvidenceBundle;
import org.vigie.playback.export.EvidenceSigner;
import org.vigie.playback.export.ExportHttpHandler;
import org.vigie.playback.privacy.BurnIn;
import org.vigie.playback.privacy.MaskedHubs;
import org.vigie.playback.rtsp.RtspServer;
import org.vigie.playback.ws.StreamEndpoint;
import org.vigie.recorder.retention.RecordingRegister;
import org.vigie.recorder.storage.FrameCursor;

/**
 * Everything that shows video to people, wired once over the server's two ports ({@link MediaSources},
 * {@link PlaybackAccess}): the multiplexed WebSocket and the player page ({@link StreamEndpoint}), the RTSP
 * re-stream ({@link RtspServer}), export and signed evidence bundles ({@link ExportHttpHandler}), and JPEG
 * snapshots ({@link SnapshotService}). The server mounts {@link #httpHandlers()} in its HTTP pipeline between the
 * request aggregator and its API.
 *
 * <p>Owns the export threads ({@value #EXPORT_THREADS}, queue {@value #EXPORT_QUEUE}: an export blocks one of them
 * while its client reads), the snapshot decoders and the RTSP server's threads. Thread-safe; {@link #close()} stops
 * them all.
 */
public final class Playback implements AutoCloseable {

    static final int EXPORT_THREADS = 4;
    static final int EXPORT_QUEUE = 32;
    static final long SNAPSHOT_TIMEOUT_MILLIS = 5000;
    /** How often open WebSocket connections and playing RTSP sessions re-check their user's rights. */
    public static final Duration RECHECK_INTERVAL = Duration.ofSeconds(10);

    /**
     * @param bindAddress     where the RTSP re-stream listens
     * @param rtspPort        its port (0: an ephemeral port)
     * @param keyDir          where the evidence key lives (created with 0600 on first use)
     * @param recheckInterval how often open connections re-check their user's rights
     * @param rtspMaxConnections RTSP connections open at once; one more is closed at once
     * @param rtspSessionTimeout the RTSP session timeout, announced and enforced (nothing read for this long:
     *                        the connection is closed)
     * @param rtspsPort       the port of the re-stream over TLS (rtsps://; 0: ephemeral), used when {@code rtspTls}
     *                        is given
     * @param rtspTls         the server's TLS context for rtsps://, or null: no RTSPS listener
     * @param rtspRequireTls  the plain RTSP port refuses every request but OPTIONS (403, naming the rtsps:// port):
     *                        no Basic credentials in clear
     */
    public record Settings(String bindAddress, int rtspPort, Path keyDir, Duration recheckInterval,
                           int rtspMaxConnections, Duration rtspSessionTimeout, int rtspsPort,
                           io.netty.handler.ssl.SslContext rtspTls, boolean rtspRequireTls) {
        public Settings {
            if (rtspRequireTls && rtspTls == null) {
                throw new IllegalArgumentException("requiring TLS for RTSP needs a TLS configuration");
            }
        }

        public Settings(String bindAddress, int rtspPort, Path keyDir, Duration recheckInterval,
                        int rtspMaxConnections, Duration rtspSessionTimeout) {
            this(bindAddress, rtspPort, keyDir, recheckInterval, rtspMaxConnections, rtspSessionTimeout, 0, null,
                    false);
        }

        public Settings(String bindAddress, int rtspPort, Path keyDir) {
            this(bindAddress, rtspPort, keyDir, RECHECK_INTERVAL);
        }

        public Settings(String bindAddress, int rtspPort, Path keyDir, Duration recheckInterval) {
            this(bindAddress, rtspPort, keyDir, recheckInterval, 4096, Duration.ofSeconds(60));
        }
    }

    private final MediaSources sources;
    private final ThreadPoolExecutor exports;
    private final SnapshotService snapshots;
    private final EvidenceSigner signer;
    private final ExportHttpHandler exportHandler;
    private final StreamEndpoint streams;
    private final RtspServer rtsp;
    private final RtspServer rtsps;
    private final BurnIn burnIn;
    private final MaskedHubs maskedHubs;

    private Playback(MediaSources sources, ThreadPoolExecutor exports, SnapshotService snapshots,
                     EvidenceSigner signer, ExportHttpHandler exportHandler, StreamEndpoint streams, RtspServer rtsp,
                     RtspServer rtsps, BurnIn burnIn, MaskedHubs maskedHubs) {
        this.burnIn = burnIn;
        this.maskedHubs = maskedHubs;
        this.rtsps = rtsps;
        this.sources = sources;
        this.exports = exports;
        this.snapshots = snapshots;
        this.signer = signer;
        this.exportHandler = exportHandler;
        this.streams = streams;
        this.rtsp = rtsp;
    }

    /**
     * With the default burn-in: at most {@link BurnIn#DEFAULT_MAX_TRANSCODES} masked transcodings, its files in the
     * folder {@code burn-in} next to the key folder.
     *
     * @param register the law's register of exports, or null when retention is not set up
     */
    public static Playback start(Settings settings, MediaSources sources, PlaybackAccess access,
                                 RecordingRegister register, InstantSource clock) throws IOException {
        return start(settings, sources, access, register, clock,
                new BurnIn(settings.keyDir().toAbsolutePath().resolveSibling("burn-in"), BurnIn.DEFAULT_MAX_TRANSCODES));
    }

    /**
     * @param register the law's register of exports, or null when retention is not set up
     * @param burnIn   burns privacy masks into what leaves for anything but the operators' client
     */
    public static Playback start(Settings settings, MediaSources sources, PlaybackAccess access,
                                 RecordingRegister register, InstantSource clock, BurnIn burnIn) throws IOException {
        EvidenceSigner signer = EvidenceSigner.loadOrCreate(settings.keyDir());
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor exports = new ThreadPoolExecutor(EXPORT_THREADS, EXPORT_THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(EXPORT_QUEUE), r -> {
                    Thread t = new Thread(r, "export-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        SnapshotService snapshots = new SnapshotService(SNAPSHOT_TIMEOUT_MILLIS, burnIn);
        ExportHttpHandler export = new ExportHttpHandler(access, sources.archive(), new EvidenceBundle(signer),
                register, exports, clock, burnIn, sources.exportParts());
        MaskedHubs maskedHubs = new MaskedHubs(burnIn);
        StreamEndpoint streams = new StreamEndpoint(sources, access, null, settings.recheckInterval(), maskedHubs);
        RtspServer rtsp = null;
        RtspServer rtsps = null;
        try {
            if (settings.rtspTls() != null) {
                rtsps = RtspServer.start(settings.bindAddress(), settings.rtspsPort(), sources, access,
                        settings.recheckInterval(), settings.rtspMaxConnections(), settings.rtspSessionTimeout(),
                        new RtspServer.Security(settings.rtspTls(), false, null), maskedHubs);
            }
            RtspServer.Security plain = settings.rtspRequireTls()
                    ? new RtspServer.Security(null, true, "credentials are not accepted over plain RTSP"
                            + " (rtsp.require-tls): use rtsps:// on port " + rtsps.port())
                    : RtspServer.Security.PLAIN;
            rtsp = RtspServer.start(settings.bindAddress(), settings.rtspPort(), sources, access,
                    settings.recheckInterval(), settings.rtspMaxConnections(), settings.rtspSessionTimeout(), plain,
                    maskedHubs);
        } catch (IOException | RuntimeException e) {
            if (rtsps != null) rtsps.close();
            streams.close();
            exports.shutdownNow();
            snapshots.close();
            maskedHubs.close();
            throw e;
        }
        return new Playback(sources, exports, snapshots, signer, export, streams, rtsp, rtsps, burnIn, maskedHubs);
    }

    /** The sharable HTTP handlers, in pipeline order: the player page, the WebSocket upgrade, the export. */
    public List<ChannelHandler> httpHandlers() {
        List<ChannelHandler> all = new java.util.ArrayList<>(streams.handlers());
        all.add(exportHandler);
        return List.copyOf(all);
    }

    /** The RTSPS (RTSP over TLS) port actually bound, or -1 without a TLS configuration. */
    public int rtspsPort() {
        return rtsps == null ? -1 : rtsps.port();
    }

    /** The RTSP port actually bound. */
    public int rtspPort() {
        return rtsp.port();
    }

    /** The WebSocket endpoint (its connections and channels, for metrics, tests and the fan-out benchmark). */
    public StreamEndpoint streams() {
        return streams;
    }

    /** The burn-in of privacy masks: its bound and counters (metrics). */
    public BurnIn burnIn() {
        return burnIn;
    }

    /** The evidence key. */
    public EvidenceSigner signer() {
        return signer;
    }

    /** The JPEG decoder of key frames. */
    public SnapshotService snapshots() {
        return snapshots;
    }

    /**
     * The last key frame recorded at or before {@code t}, empty when nothing is recorded then (the archive replay
     * engine's seek). Blocking file I/O.
     */
    public Optional<Frame> keyFrameAt(StreamKey key, Instant t) throws IOException {
        Frame key0;
        try (FrameCursor cursor = sources.archive().framesFrom(key, t)) {
            key0 = KeyFrameSeek.gopAt(cursor, t).peekFirst();
        }
        long micros = t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
        return key0 == null || key0.wallMicros() > micros ? Optional.empty() : Optional.of(key0);
    }

    /**
     * The frames from the last key frame at or before {@code t} to the last frame at or before {@code t}: the picture
     * shown at {@code t} and what its decoding needs (export.jpg); empty when nothing is recorded then. Blocking
     * file I/O.
     */
    public List<Frame> framesUpTo(StreamKey key, Instant t) throws IOException {
        java.util.ArrayDeque<Frame> gop;
        try (FrameCursor cursor = sources.archive().framesFrom(key, t)) {
            gop = KeyFrameSeek.gopAt(cursor, t);
        }
        long micros = t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
        while (!gop.isEmpty() && gop.peekLast().wallMicros() > micros) gop.pollLast();
        return List.copyOf(gop);
    }

    @Override
    public void close() {
        rtsp.close();
        if (rtsps != null) rtsps.close();
        streams.close();
        exports.shutdownNow();
        snapshots.close();
        maskedHubs.close();
    }
}
