package org.vigie.server.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.recorder.retention.FileHoldRegistry;
import org.vigie.recorder.retention.FileRecordingRegister;
import org.vigie.recorder.retention.RegisterEntry;
import org.vigie.server.store.Database;
import org.vigie.server.store.HoldStore;
import org.vigie.server.store.RegisterStore;
import org.vigie.recorder.retention.FreeSpace;
import org.vigie.recorder.retention.HoldRegistry;
import org.vigie.recorder.retention.RecordingRegister;
import org.vigie.recorder.retention.RetentionPolicy;
import org.vigie.recorder.retention.RetentionSweeper;
import org.vigie.recorder.retention.StorageVolume;
import org.vigie.recorder.retention.VolumeSet;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.RecorderConfig;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.config.StorageConfig;

/**
 * Wires issue #6 into the server: the configured volumes, the register of recordings and the legal holds (both in
 * the store, so that a cluster's nodes share them), the per-camera retention policy, and the sweeper on its own
 * scheduled thread ({@code vigie-retention}, never a writer thread). Each node sweeps its own disks.
 *
 * <p>Life cycle: {@link #create} before the recorder (the recorder needs {@link #volumes()} and
 * {@link #register()} to open: deletions a crash interrupted are finished and registered then);
 * {@link #start(Recorder)} once it is open; {@link #close()} before the recorder is closed. Thread-safe.
 */
public final class RetentionService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);

    private final StorageConfig config;
    private final InstantSource clock;
    private final VolumeSet volumes;
    private final RecordingRegister register;
    private final HoldRegistry holds;
    private final RetentionPolicy policy;
    private ScheduledExecutorService executor;
    private RetentionSweeper sweeper;

    private RetentionService(StorageConfig config, InstantSource clock, VolumeSet volumes, RecordingRegister register,
                             HoldRegistry holds, RetentionPolicy policy) {
        this.config = config;
        this.clock = clock;
        this.volumes = volumes;
        this.register = register;
        this.holds = holds;
        this.policy = policy;
    }

    /**
     * @param db   the store, where the legal holds and the register are kept (shared by a cluster's nodes)
     * @param node this node's id in a cluster, {@code ""} on a single node (it marks the register entries it writes)
     */
    public static RetentionService create(StorageConfig storage, List<CameraConfig> cameras, InstantSource clock,
                                          FreeSpace freeSpace, Database db, String node) throws IOException {
        List<StorageVolume> vs = new ArrayList<>();
        for (StorageConfig.Volume v : storage.volumes()) {
            Files.createDirectories(v.path());
            vs.add(new StorageVolume(v.path(), v.minFreeBytes(), v.minFreePercent()));
        }
        Path primary = storage.volumes().get(0).path();
        Map<String, Duration> perCamera = new HashMap<>();
        for (CameraConfig c : cameras) {
            perCamera.put(c.id(), c.retention());
        }
        HoldStore holds = new HoldStore(db, clock);
        RegisterStore register = new RegisterStore(db, clock, node);
        importJournals(primary, clock, holds, register);
        return new RetentionService(storage, clock, new VolumeSet(vs, freeSpace), register, holds,
                new RetentionPolicy(RetentionPolicy.MAX_RETENTION, perCamera));
    }

    /**
     * Earlier versions kept the holds and the register in journals under {@code <first volume>/.retention/}: their
     * content is copied into the store once (idempotent: holds only into an empty table, register entries by their
     * key), then the journals are renamed {@code *.imported} and kept.
     */
    static void importJournals(Path primary, InstantSource clock, HoldStore holds, RegisterStore register)
            throws IOException {
        Path holdFile = FileHoldRegistry.defaultFile(primary);
        if (Files.isRegularFile(holdFile)) {
            int n = holds.importHolds(FileHoldRegistry.open(holdFile, clock).all());
            Files.move(holdFile, holdFile.resolveSibling(holdFile.getFileName() + ".imported"),
                    StandardCopyOption.REPLACE_EXISTING);
            LOG.info("legal holds: {} imported from {}", n, holdFile);
        }
        Path registerDir = FileRecordingRegister.defaultDir(primary);
        if (Files.isDirectory(registerDir)) {
            List<RegisterEntry> entries = new FileRecordingRegister(registerDir, clock)
                    .query(Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z"), null, null, Integer.MAX_VALUE);
            for (RegisterEntry e : entries) register.add(e);
            Files.move(registerDir, registerDir.resolveSibling(registerDir.getFileName() + ".imported"),
                    StandardCopyOption.REPLACE_EXISTING);
            LOG.info("register of recordings: {} entries imported from {}", entries.size(), registerDir);
        }
    }

    /** Opens the recorder over the configured volumes, with the register as its deletion listener. */
    public Recorder openRecorder(RecorderConfig recorderConfig) throws IOException {
        return Recorder.open(recorderConfig, clock, volumes, register);
    }

    /** Starts the periodic sweep over the recorder's catalog. */
    public synchronized RetentionSweeper start(Recorder recorder) {
        if (sweeper != null) {
            throw new IllegalStateException("already started");
        }
        sweeper = new RetentionSweeper(recorder, volumes, holds, policy, clock, config.sweepMaxSegments());
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigie-retention");
            t.setDaemon(true);
            return t;
        });
        sweeper.start(executor, config.sweepInterval());
        return sweeper;
    }

    public VolumeSet volumes() {
        return volumes;
    }

    /** The register of recordings (the export code records exports and transmissions here). */
    public RecordingRegister register() {
        return register;
    }

    /** The legal holds (the API creates, extends and releases them with a supervisor's right). */
    public HoldRegistry holds() {
        return holds;
    }

    public RetentionPolicy policy() {
        return policy;
    }

    /** The running sweeper (its counters are the metrics hooks), or null before {@link #start}. */
    public synchronized RetentionSweeper sweeper() {
        return sweeper;
    }

    /** Stops the sweeps; waits for a sweep in progress (at most 30 s). */
    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.close();
        }
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
