package org.vigie.server.playback;

import org.vigie.server.onvif.SnapshotSource;

import io.netty.channel.ChannelHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.vigie.recorder.retention.RecordingRegister;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Authenticator;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.http.Route;
import org.vigie.server.store.BookmarkStore;
import org.vigie.server.store.EventStore;

/**
 * The export, evidence, snapshot and timeline side of the server, wired once: the export handler to mount in the
 * HTTP pipeline ({@link #exportHandler()}), the routes to add to the API's table ({@link #routes()}), the evidence
 * key ({@link #signer()}). Owns the export threads ({@value #EXPORT_THREADS}, queue {@value #EXPORT_QUEUE}: an
 * export blocks one of them while its client reads) and the snapshot decoders. Thread-safe.
 */
public final class PlaybackServices implements AutoCloseable {

    static final int EXPORT_THREADS = 4;
    static final int EXPORT_QUEUE = 32;
    static final long SNAPSHOT_TIMEOUT_MILLIS = 5000;

    private final ThreadPoolExecutor exports;
    private final SnapshotService snapshots;
    private final EvidenceSigner signer;
    private final ExportHttpHandler exportHandler;
    private final PlaybackResource resource;

    private PlaybackServices(ThreadPoolExecutor exports, SnapshotService snapshots, EvidenceSigner signer,
                             ExportHttpHandler exportHandler, PlaybackResource resource) {
        this.exports = exports;
        this.snapshots = snapshots;
        this.signer = signer;
        this.exportHandler = exportHandler;
        this.resource = resource;
    }

    /**
     * @param keyDir    where the evidence key lives (created with 0600 on first use)
     * @param register  the law's register of exports, or null
     * @param events    camera events for the timeline, or null
     * @param bookmarks bookmarks for the timeline, or null
     * @param cameraSnapshots the cameras' own snapshots (ONVIF), tried before decoding a key frame
     */
    public static PlaybackServices start(CameraRegistry cameras, ArchiveReader archive, Authenticator authenticator,
                                         AuditLog audit, EventStore events, BookmarkStore bookmarks,
                                         RecordingRegister register, Path keyDir, InstantSource clock,
                                         SnapshotSource cameraSnapshots)
            throws IOException {
        EvidenceSigner signer = EvidenceSigner.loadOrCreate(keyDir);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor exports = new ThreadPoolExecutor(EXPORT_THREADS, EXPORT_THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(EXPORT_QUEUE), r -> {
                    Thread t = new Thread(r, "export-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        SnapshotService snapshots = new SnapshotService(SNAPSHOT_TIMEOUT_MILLIS);
        ExportHttpHandler handler = new ExportHttpHandler(new ServerPlaybackAccess(authenticator, audit, cameras),
                archive, new EvidenceBundle(signer), register, exports, clock);
        PlaybackResource resource = new PlaybackResource(cameras, archive, snapshots, cameraSnapshots, audit, events, bookmarks,
                clock, register);
        return new PlaybackServices(exports, snapshots, signer, handler, resource);
    }

    /** Sharable: mount it between the HTTP aggregator and the API. */
    public ChannelHandler exportHandler() {
        return exportHandler;
    }

    public List<Route> routes() {
        return resource.routes();
    }

    public EvidenceSigner signer() {
        return signer;
    }

    @Override
    public void close() {
        exports.shutdownNow();
        snapshots.close();
    }
}
