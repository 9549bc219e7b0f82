package org.vigie.server;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.gst.ingest.GstRuntime;
import org.vigie.ingest.SessionIds;
import org.vigie.recorder.storage.FsyncPolicy;
import org.vigie.recorder.retention.FreeSpace;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.RecorderConfig;
import org.vigie.recorder.storage.RecoveryReport;
import org.vigie.server.api.ApiRoutes;
import org.vigie.server.api.ApiServices;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Authenticator;
import org.vigie.server.auth.PasswordHasher;
import org.vigie.server.auth.UserStore;
import org.vigie.server.camera.Camera;
import org.vigie.server.camera.CameraPlacement;
import org.vigie.server.cluster.CameraWhereabouts;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.cluster.ClusterNode;
import org.vigie.server.cluster.AssignedCameras;
import org.vigie.server.cluster.ClusterCameras;
import org.vigie.server.cluster.ClusterMetrics;
import org.vigie.server.cluster.ClusterResource;
import org.vigie.server.cluster.ClusterSupport;
import org.vigie.server.retention.RetentionService;
import org.vigie.server.config.AuthConfig;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.memory.CapacityMonitor;
import org.vigie.server.config.StorageConfig;
import org.vigie.server.config.VmsConfig;
import org.vigie.server.http.ApiDispatcher;
import org.vigie.server.http.HttpServer;
import org.vigie.server.http.Router;
import org.vigie.server.metrics.HealthCheck;
import org.vigie.playback.Playback;
import org.vigie.server.onvif.OnvifCameras;
import org.vigie.server.playback.CameraSources;
import org.vigie.server.playback.PlaybackResource;
import org.vigie.server.playback.ServerPlaybackAccess;
import org.vigie.server.onvif.OnvifSite;
import org.vigie.server.metrics.VmsMetrics;
import org.vigie.server.metrics.WatchdogFeeder;
import org.vigie.server.store.BookmarkStore;
import org.vigie.server.store.CameraStore;
import org.vigie.server.store.Database;
import org.vigie.server.store.EventStore;
import org.vigie.server.store.LayoutStore;
import org.vigie.server.store.MaskStore;
import org.vigie.server.privacy.CameraMaskPush;
import org.vigie.server.privacy.MaskDecision;
import org.vigie.server.privacy.MaskResource;
import org.vigie.server.privacy.StoredCameraMasks;
import org.vigie.base.privacy.CameraMasks;
import org.vigie.systemd.SystemdNotifier;

/**
 * The running server: opens (and if needed recovers) the storage, opens the database, then pulls every enabled
 * camera into the storage (those of the configuration file, then those added through the API), serves the HTTP
 * API and tells systemd it is ready (feeding its watchdog while healthy).
 * {@link #close()} is the clean shutdown: the API stops, cameras stop, open fragments and segments are closed and
 * fsynced, and the clean-shutdown marker is written so that the next start skips recovery.
 */
public final class VmsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VmsServer.class);

    private final VmsConfig config;
    private final Recorder recorder;
    private final ScheduledExecutorService ingestExecutor;
    private final CameraRegistry cameras;
    private final List<AutoCloseable> services = new ArrayList<>();
    private RetentionService retention;
    private Database database;
    private EventStore events;
    private AuditLog audit;
    private VmsMetrics metrics;
    private HttpServer http;
    private Playback playback;
    private OnvifSite onvif;
    private Router router;
    /** In a cluster, the cameras the leader assigned here; null on a single node. */
    private AssignedCameras assigned;
    private ClusterNode cluster;
    private StoredCameraMasks cameraMasks;
    /** Where each camera is recorded, and in what state (a cluster); {@link CameraWhereabouts#SINGLE} otherwise. */
    private volatile CameraWhereabouts whereabouts = CameraWhereabouts.SINGLE;
    private MaskDecision maskDecision;

    private VmsServer(VmsConfig config, Recorder recorder, ScheduledExecutorService ingestExecutor,
                      CameraRegistry cameras) {
        this.config = config;
        this.recorder = recorder;
        this.ingestExecutor = ingestExecutor;
        this.cameras = cameras;
    }

    /** Starts the server, notifying systemd through {@code NOTIFY_SOCKET} if set. */
    public static VmsServer start(VmsConfig config, InstantSource clock) throws IOException {
        return start(config, clock, SystemdNotifier.fromEnvironment(), System.getenv("VMS_ADMIN_PASSWORD"));
    }

    /**
     * Starts the server.
     *
     * @param envAdminPassword the first administrator's password when {@code auth.admin-password} is not set
     */
    public static VmsServer start(VmsConfig config, InstantSource clock, SystemdNotifier notifier,
                                  String envAdminPassword) throws IOException {
        LOG.info("{}", GstRuntime.ensureInitialized());
        Files.createDirectories(config.storage().path());
        Database database = Database.open(config.database()); // first: the register and the holds live there
        RetentionService retention;
        Recorder recorder;
        try {
            retention = RetentionService.create(config.storage(), config.cameras(), clock, FreeSpace.FILE_STORE,
                    database, config.cluster() == null ? "" : config.cluster().nodeId());
            // volumes, register, legal holds: the recorder finishes interrupted deletions
            recorder = retention.openRecorder(recorderConfig(config.storage()));
        } catch (IOException | RuntimeException e) {
            database.close();
            throw e;
        }
        RecoveryReport report = recorder.recoveryReport();
        if (report.skipped()) {
            LOG.info("storage {}: previous run shut down cleanly, recovery skipped", config.storage().path());
        } else {
            LOG.info("storage {}: recovered {} segment(s): {} fragment(s) kept, {} byte(s) of incomplete fragments truncated, {} orphan index(es) deleted",
                    config.storage().path(), report.segments().size(), report.fragmentsKept(), report.bytesTruncated(),
                    report.orphanIndexesDeleted().size());
            report.segments().forEach(s -> LOG.info("recovered {}", s));
        }
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "ingest-control");
            t.setDaemon(true);
            return t;
        });
        // In a cluster every camera is registered on every node, and pulled only by the node it is assigned to.
        AssignedCameras assigned = config.clustered() ? new AssignedCameras() : null;
        CameraRegistry cameras = new CameraRegistry(recorder, config.ingest(), executor, clock, new SessionIds(clock),
                org.vigie.gst.ingest.GstIngestEngine.INSTANCE, assigned != null ? assigned : CameraPlacement.EVERY_CAMERA,
                config.live().gopCacheIdle());
        VmsServer server = new VmsServer(config, recorder, executor, cameras);
        server.assigned = assigned;
        server.database = database;
        server.retention = retention;
        server.services.add(retention); // closed before the recorder
        retention.start(recorder);
        try {
            server.startServices(clock, notifier, envAdminPassword);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void startServices(InstantSource clock, SystemdNotifier notifier, String envAdminPassword)
            throws IOException {
        CameraStore cameraStore = new CameraStore(database, clock);
        UserStore users = new UserStore(database);
        AuthConfig a = config.auth();
        Authenticator authenticator = new Authenticator(users, new PasswordHasher(a.argon2MemoryKib(),
                a.argon2Iterations(), a.argon2Parallelism()), clock, a.tokenTtl(), a.lockoutFailures(),
                a.lockoutWindow(), a.lockoutDuration(), a.sourceFailures());
        try {
            // one chain for the whole cluster, so one key for its head: derived from cluster.secret (issue 13)
            audit = org.vigie.server.audit.HeadKeys.trail(database, clock, config.cluster(), keysDir(config));
        } catch (java.sql.SQLException e) {
            throw new IOException("cannot sign the audit trail's head: " + e.getMessage(), e);
        }
        events = new EventStore(database);
        onvif = OnvifSite.start(cameras, events::append, audit, config.discovery(), clock,
                OnvifCameras.Settings.defaults(), assigned != null ? assigned : CameraPlacement.EVERY_CAMERA); // before the cameras are put: it resolves those given by 'onvif'
        services.add(onvif);
        Set<String> configIds = config.cameras().stream().map(CameraConfig::id).collect(Collectors.toSet());
        List<CameraConfig> apiCameras;
        try {
            authenticator.ensureAdministrator(a.adminPassword() != null ? a.adminPassword() : envAdminPassword);
            apiCameras = cameraStore.list();
        } catch (SQLException e) {
            throw new IOException("database " + config.database().describe() + ": " + e.getMessage(), e);
        }
        for (CameraConfig c : config.cameras()) {
            cameras.put(c);
        }
        for (CameraConfig c : apiCameras) {
            if (configIds.contains(c.id())) {
                LOG.warn("camera {} of the database is shadowed by the configuration file's camera of that id", c.id());
            } else {
                cameras.put(c);
            }
        }
        LOG.info("{} {} camera(s) from the configuration and {} added through the API into {}",
                config.clustered() ? "registered" : "recording", config.cameras().size(), apiCameras.size(),
                config.storage().path());
        // Issue 17: a server told to record beyond its measured capacity says so now, and when a camera tips it over.
        CapacityMonitor capacity = CapacityMonitor.forThisJvm(config.ingest(), cameras.list().stream()
                .map(Camera::config).filter(c -> assigned == null || assigned.recordsHere(c.id())).toList());
        cameras.observe(assigned == null ? capacity : assigned.onlyRecordedHere(capacity));
        metrics = new VmsMetrics(cameras, recorder, config.storage().path(), config.metrics().jvm());
        metrics.bindCapacity(capacity);
        metrics.bindRetention(retention.sweeper(), retention.volumes());
        metrics.sync();
        HealthCheck health = new HealthCheck(() -> http != null && http.isOpen(), this::databaseAnswers,
                config.storage().path());
        MaskStore maskStore = new MaskStore(database);
        try {
            cameraMasks = new StoredCameraMasks(maskStore);
            cameraMasks.startRefreshing(StoredCameraMasks.REFRESH);
            services.add(cameraMasks);
        } catch (SQLException e) {
            throw new IOException("cannot read the privacy masks: " + e.getMessage(), e);
        }
        maskDecision = new MaskDecision(maskStore, audit);
        CameraMaskPush maskPush = new CameraMaskPush(onvif.cameras(), cameraMasks, clock).start();
        services.add(maskPush);
        ApiServices api = new ApiServices(cameras, configIds, cameraStore, recorder, users, authenticator, audit,
                events, new BookmarkStore(database), new LayoutStore(database), metrics, config.metrics().enabled(),
                health, clock, maskPush::state, id -> whereabouts.apiFields(id));
        List<org.vigie.server.http.Route> more = new ArrayList<>(onvif.routes());
        if (config.clustered()) { // issue 13: from now on the leader decides which cameras are recorded here
            cluster = ClusterSupport.join(config.cluster(), config.server().rtspPort(),
                    new ClusterCameras(cameras, cameraStore, configIds, assigned), clock);
            services.add(cluster); // closed before the cameras: the others take them over at once
            ClusterMetrics.bindTo(metrics.registry(), cluster);
            whereabouts = CameraWhereabouts.start(cluster, cameras, assigned);
            CameraWhereabouts where = whereabouts;
            metrics.bindElsewhere(id -> java.util.Optional.ofNullable((String) where.apiFields(id).get("state")));
            services.add(whereabouts);
            // masks drawn on any node are applied by this node's streams at once, not at the next refresh
            var masksSignal = cluster.signal("masks", cameraMasks::reloadSoon);
            cameraMasks.announceWritesTo(masksSignal::raise);
            LOG.info("cluster: node {} joining through ZooKeeper {} (advertised as {})", config.cluster().nodeId(),
                    config.cluster().zookeeper(), config.cluster().advertise());
        }
        // issue 13: the span catalogue, the merged timeline, node-to-node calls and the relays of remote bytes
        org.vigie.server.cluster.ClusterArchive clusterArchive = null;
        org.vigie.server.cluster.NodeCalls nodeCalls = null;
        org.vigie.server.cluster.NodeClient nodeClient = null;
        if (cluster != null) {
            org.vigie.server.store.SpanCatalogue catalogue = new org.vigie.server.store.SpanCatalogue(database);
            services.add(new org.vigie.server.cluster.SpanCatalogueWriter(catalogue, recorder.archive(),
                    config.cluster().nodeId(), () -> cameras.list().stream().map(Camera::id).toList(), clock).start());
            clusterArchive = new org.vigie.server.cluster.ClusterArchive(cluster, recorder.archive(), catalogue);
            org.vigie.server.cluster.NodeCredentials credentials = new org.vigie.server.cluster.NodeCredentials(
                    config.cluster().nodeId(), config.cluster().secret(), clock);
            nodeCalls = new org.vigie.server.cluster.NodeCalls(credentials, authenticator);
            nodeClient = new org.vigie.server.cluster.NodeClient(credentials);
        }
        more.addAll(new ClusterResource(cluster, whereabouts).routes());
        more.addAll(org.vigie.server.retention.RetentionRoutes.routes(retention, cameras, recorder, audit, clock,
                config.legalHolds()));
        ServerPlaybackAccess playbackAccess = new ServerPlaybackAccess(authenticator, audit, cameras, maskDecision,
                nodeCalls);
        playback = Playback.start(new Playback.Settings(config.server().bindAddress(), config.server().rtspPort(),
                        keysDir(config), Playback.RECHECK_INTERVAL, config.server().maxConnections(),
                        config.server().rtspSessionTimeout(), config.server().rtspsPort(), rtspTls(config),
                        config.server().rtspRequireTls()),
                new CameraSources(cameras, recorder.archive(), clusterArchive,
                        nodeCalls == null ? null : nodeCalls.credentials(), clusterArchive == null ? null
                        : new org.vigie.server.cluster.ClusterExportParts(clusterArchive, nodeClient, playbackAccess)),
                playbackAccess,
                retention.register(), clock, new org.vigie.playback.privacy.BurnIn(
                        config.database().path().toAbsolutePath().getParent().resolve("burn-in"),
                        config.privacy().maxTranscodes()));
        services.add(playback);
        metrics.bindPrivacy(playback.burnIn());
        more.addAll(new PlaybackResource(cameras, recorder.archive(), playback, onvif.snapshots(), audit, events,
                new BookmarkStore(database), clock, retention.register(), maskDecision, clusterArchive, nodeClient)
                .routes());
        more.addAll(new MaskResource(cameras, maskStore, cameraMasks, audit, clock, maskPush).routes());
        router = ApiRoutes.router(api, more);
        org.vigie.server.cluster.RemoteExportHandler remoteExports = clusterArchive == null ? null
                : new org.vigie.server.cluster.RemoteExportHandler(clusterArchive, nodeClient, playbackAccess);
        if (remoteExports != null) services.add(remoteExports);
        http = HttpServer.start(config.server().bindAddress(), config.server().httpPort(), config.tls(),
                config.server().apiThreads(), config.server().apiQueue(), config.server().maxRequestBytes(),
                nodeCalls == null ? new ApiDispatcher(router, authenticator, audit)
                        : new ApiDispatcher(router, authenticator, audit, nodeCalls),
                mounted(remoteExports, playback.httpHandlers()),
                new org.vigie.rtsp.guard.ConnectionGuard("http", config.server().maxConnections(),
                        config.server().idleTimeout(), org.vigie.rtsp.guard.ConnectionGuard.Idle.READ_AND_WRITE,
                        ch -> ch.pipeline().get(io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.class)
                                == null ? null : new io.netty.handler.codec.http.websocketx.PingWebSocketFrame()));
        services.add(http);
        LOG.info("RTSP re-stream listening on rtsp://{}:{}/live/<camera> and /archive/<camera>{}",
                config.server().bindAddress(), playback.rtspPort(),
                config.server().rtspRequireTls() ? " (refusing credentials in clear: rtsp-require-tls)" : "");
        if (playback.rtspsPort() > 0) {
            LOG.info("RTSP re-stream over TLS listening on rtsps://{}:{}/live/<camera> and /archive/<camera>",
                    config.server().bindAddress(), playback.rtspsPort());
        }
        if (config.server().clearTextOnNetwork(config.tls().enabled())) {
            LOG.warn("""
                    ******************************************************************************************
                    * INSECURE: listening on {} without TLS: passwords, tokens and video cross the network in
                    * clear (HTTP API, WebSocket, RTSP Basic). Set tls.certificate and tls.private-key, or
                    * server.bind-address: 127.0.0.1 behind a TLS reverse proxy.
                    ******************************************************************************************""",
                    config.server().bindAddress());
        }
        LOG.info("API listening on {}://{}:{}/api/v1", config.tls().enabled() ? "https" : "http",
                config.server().bindAddress(), http.port());
        WatchdogFeeder watchdog = new WatchdogFeeder(notifier, health);
        services.add(watchdog);
        watchdog.ready("recording " + cameras.list().size() + " camera(s)");
    }

    /** The TLS context of rtsps:// (the certificate of HTTPS), or null without a tls section. */
    private static io.netty.handler.ssl.SslContext rtspTls(VmsConfig config) throws IOException {
        if (!config.tls().enabled()) return null;
        try {
            return io.netty.handler.ssl.SslContextBuilder.forServer(config.tls().certificate().toFile(),
                    config.tls().privateKey().toFile()).build();
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            throw new IOException("cannot load the TLS certificate and key for rtsps://: " + e.getMessage(), e);
        }
    }

    /**
     * The operators' client (module web) first, then in a cluster the relay of exports held by another node, then
     * playback's (the stream upgrade, the export).
     */
    private static List<io.netty.channel.ChannelHandler> mounted(io.netty.channel.ChannelHandler remoteExports,
                                                                 List<io.netty.channel.ChannelHandler> playback) {
        List<io.netty.channel.ChannelHandler> all = new ArrayList<>();
        all.add(new org.vigie.server.http.WebClientHandler(org.vigie.web.WebClient.load()));
        if (remoteExports != null) all.add(remoteExports); // issue 13: exports of bytes on another node
        all.addAll(playback);
        return all;
    }

    private boolean databaseAnswers() {
        return database.answers();
    }

    static RecorderConfig recorderConfig(StorageConfig s) {
        return RecorderConfig.defaults(s.path())
                .withDurations(s.segmentDuration(), s.fragmentDuration())
                .withFsync(s.fsyncEachFragment() ? FsyncPolicy.FRAGMENT : FsyncPolicy.NONE)
                .withQueue(s.writerThreads(), s.queueFrames());
    }

    public VmsConfig config() {
        return config;
    }

    public Recorder recorder() {
        return recorder;
    }

    /** The RTSP port actually bound (useful with {@code rtsp-port: 0}). */
    public int rtspPort() {
        return playback.rtspPort();
    }

    /** The RTSPS port bound, or -1 without TLS. */
    public int rtspsPort() {
        return playback.rtspsPort();
    }

    /** The WebSocket streaming, the RTSP re-stream, export, evidence bundles and snapshots. */
    public Playback playback() {
        return playback;
    }

    /** This server's cluster membership, or null on a single node. */
    public ClusterNode cluster() {
        return cluster;
    }

    public CameraRegistry cameras() {
        return cameras;
    }

    /** The API's route table (tests enumerate it). */
    public Router router() {
        return router;
    }

    /** The HTTP port actually bound (useful with {@code http-port: 0}). */
    public int httpPort() {
        return http.port();
    }

    /** The ONVIF side: stream resolution, event subscriptions, PTZ, discovery, snapshots. */
    public OnvifSite onvif() {
        return onvif;
    }

    /** Where the ONVIF event subscriptions store camera events. */
    public EventStore events() {
        return events;
    }

    /**
     * The privacy masks of every camera as in force now (issue 14), without blocking: for the paths that burn them in
     * when no user is involved. With a user, ask {@link #maskDecision()} (it reads the store and decides lifts).
     */
    public CameraMasks cameraMasks() {
        return cameraMasks;
    }

    /** Which privacy masks apply to a user on a camera, lifts included (issue 14). */
    public MaskDecision maskDecision() {
        return maskDecision;
    }

    /** The audit trail, for the playback and export servers (live/archive views, exports with their reason). */
    public AuditLog audit() {
        return audit;
    }

    public VmsMetrics metrics() {
        return metrics;
    }

    /** Retention, storage volumes, legal holds and the register of recordings (issue #6). */
    public RetentionService retention() {
        return retention;
    }

    @Override
    public void close() throws IOException {
        LOG.info("shutting down");
        long t0 = System.nanoTime();
        for (int i = services.size() - 1; i >= 0; i--) {
            long t = System.nanoTime();
            try {
                services.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", services.get(i).getClass().getSimpleName(), e.toString());
            }
            logSlow(services.get(i).getClass().getSimpleName(), t);
        }
        long t = System.nanoTime();
        cameras.close();
        logSlow("cameras", t);
        t = System.nanoTime();
        ingestExecutor.shutdownNow(); // pending retries and watchdogs only: every supervisor is closed
        try {
            ingestExecutor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        logSlow("ingest executor", t);
        // Safety net: a pipeline whose teardown did not complete (its task late or failed) is stopped here, before
        // the recorder closes the open fragments.
        int leftover = org.vigie.gst.ingest.RtspIngestPipeline.stopAll();
        if (leftover > 0) {
            LOG.warn("stopped {} ingest pipeline(s) left running", leftover);
        }
        t = System.nanoTime();
        recorder.close();
        logSlow("recorder", t);
        if (database != null) database.close();
        LOG.info("clean shutdown in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    /** Says which step of the shutdown took time (issue 17: systemd's stop timeout). */
    private static void logSlow(String step, long startedNanos) {
        long ms = (System.nanoTime() - startedNanos) / 1_000_000;
        if (ms >= 200) {
            LOG.info("shutdown: {} closed in {} ms", step, ms);
        }
    }

    /** Where the server's Ed25519 key lives (evidence bundles, the audit chain's head): beside the database. */
    public static java.nio.file.Path keysDir(VmsConfig config) {
        return config.database().path().toAbsolutePath().getParent().resolve("keys");
    }
}
