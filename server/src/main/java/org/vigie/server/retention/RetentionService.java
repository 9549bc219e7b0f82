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
import org.vigie.recorder.retention.FileHoldRegistry;
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
 * Wires issue #6 into the server: the configured volumes, the register of recordings and the legal-hold journal
 * (both under {@code <first volume>/.retention/}), the per-camera retention policy, and the sweeper on its own
 * scheduled thread ({@code vigie-retention}, never a writer thread).
 *
 * <p>Life cycle: {@link #create} before the recorder (the recorder needs {@link #volumes()} and
 * {@link #register()} to open: deletions a crash interrupted are finished and registered then);
 * {@link #start(Recorder)} once it is open; {@link #close()} before the recorder is closed. Thread-safe.
 */
public final class RetentionService implements AutoCloseable {

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

    public static RetentionService create(StorageConfig storage, List<CameraConfig> cameras, InstantSource clock,
                                          FreeSpace freeSpace) throws IOException {
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
        return new RetentionService(storage, clock, new VolumeSet(vs, freeSpace),
                new RecordingRegister(RecordingRegister.defaultDir(primary), clock),
                FileHoldRegistry.open(FileHoldRegistry.defaultFile(primary), clock),
                new RetentionPolicy(RetentionPolicy.MAX_RETENTION, perCamera));
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
