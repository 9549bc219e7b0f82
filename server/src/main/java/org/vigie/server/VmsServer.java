package org.vigie.server;

import java.io.IOException;
import java.nio.file.Files;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.ingest.GstRuntime;
import org.vigie.ingest.SessionIds;
import org.vigie.recorder.storage.FsyncPolicy;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.RecorderConfig;
import org.vigie.recorder.storage.RecoveryReport;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.config.StorageConfig;
import org.vigie.server.config.VmsConfig;

/**
 * The running server: opens (and if needed recovers) the storage, then pulls every enabled camera into it.
 * {@link #close()} is the clean shutdown: cameras stop, open fragments and segments are closed and fsynced, and the
 * clean-shutdown marker is written so that the next start skips recovery.
 */
public final class VmsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VmsServer.class);

    private final VmsConfig config;
    private final Recorder recorder;
    private final ScheduledExecutorService ingestExecutor;
    private final CameraRegistry cameras;

    private VmsServer(VmsConfig config, Recorder recorder, ScheduledExecutorService ingestExecutor,
                      CameraRegistry cameras) {
        this.config = config;
        this.recorder = recorder;
        this.ingestExecutor = ingestExecutor;
        this.cameras = cameras;
    }

    public static VmsServer start(VmsConfig config, InstantSource clock) throws IOException {
        LOG.info("{}", GstRuntime.ensureInitialized());
        Files.createDirectories(config.storage().path());
        Recorder recorder = Recorder.open(recorderConfig(config.storage()), clock);
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
        CameraRegistry cameras = new CameraRegistry(recorder, config.ingest(), executor, clock, new SessionIds(clock));
        VmsServer server = new VmsServer(config, recorder, executor, cameras);
        for (CameraConfig c : config.cameras()) {
            cameras.put(c);
        }
        LOG.info("recording {} camera(s) into {}", config.cameras().size(), config.storage().path());
        return server;
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

    public CameraRegistry cameras() {
        return cameras;
    }

    @Override
    public void close() throws IOException {
        LOG.info("shutting down");
        cameras.close();
        ingestExecutor.shutdown();
        try {
            ingestExecutor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        recorder.close();
        LOG.info("clean shutdown");
    }
}
