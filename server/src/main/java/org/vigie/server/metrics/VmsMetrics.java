package org.vigie.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import org.vigie.ingest.CameraState;
import org.vigie.ingest.CameraStatus;
import org.vigie.ingest.CameraSupervisor;
import org.vigie.media.StreamKey;
import org.vigie.recorder.retention.RetentionSweeper;
import org.vigie.recorder.retention.StorageVolume;
import org.vigie.recorder.retention.VolumeSet;
import org.vigie.recorder.retention.VolumeStatus;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.StreamStats;
import org.vigie.server.camera.CameraRegistry;

/**
 * The server's Prometheus metrics (Micrometer on the simpleclient registry), all function meters that read the
 * supervisors' {@link CameraStatus} and the recorder's {@link StreamStats} when scraped: no per-frame work.
 *
 * <ul>
 *   <li>per stream ({@code camera}, {@code stream} tags): {@code vms_camera_frames_total},
 *       {@code vms_camera_bytes_total}, {@code vms_camera_fps}, {@code vms_camera_bitrate_bits_per_second},
 *       {@code vms_camera_frames_lost_total} (ingest), {@code vms_camera_reconnects_total},
 *       {@code vms_camera_state} (1 for the current {@code state} tag, 0 for the others)</li>
 *   <li>recorder, per stream: {@code vms_recorder_frames_written_total}, {@code vms_frames_dropped_total} (queue
 *       full), {@code vms_recorder_segments_total} (segment rolls), {@code vms_recorder_write_latency_seconds}
 *       and {@code vms_recorder_fsync_latency_seconds} (last fragment), {@code vms_recorder_write_errors_total};
 *       once: {@code vms_recorder_recovered_bytes_truncated}, {@code vms_recorder_recovered_fragments}</li>
 *   <li>{@code vms_storage_free_bytes{volume}} and {@code vms_storage_total_bytes{volume}}; per configured volume
 *       and the retention sweeper's counters once {@link #bindRetention} is called</li>
 *   <li>{@code vms_viewers} (live and archive viewers, fed by the playback servers)</li>
 *   <li>memory ({@link MemoryMetrics}): heap used, committed and max, direct buffers, resident memory, native
 *       resident memory in all and per stream</li>
 *   <li>JVM ({@code metrics.jvm}): memory pools, GC, threads, class loading, CPU, uptime</li>
 * </ul>
 *
 * <p>Cameras come and go at run time: {@link #sync()} (called before each scrape and after each camera change)
 * registers the meters of new streams and removes those of streams that are gone. Thread-safe (synchronized).
 */
public final class VmsMetrics {

    private final PrometheusMeterRegistry registry;
    private final CameraRegistry cameras;
    private final Recorder recorder;
    private final AtomicInteger viewers = new AtomicInteger();
    private final Map<StreamKey, List<Meter>> streamMeters = new HashMap<>();

    public VmsMetrics(CameraRegistry cameras, Recorder recorder, Path storage, boolean jvm) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.cameras = cameras;
        this.recorder = recorder;
        if (jvm) {
            new JvmMemoryMetrics().bindTo(registry);
            new JvmGcMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
        }
        MemoryMetrics.bindTo(registry, () -> cameras.list().stream().mapToInt(c -> c.supervisors().size()).sum());
        Gauge.builder("vms.viewers", viewers, AtomicInteger::get).description("Live and archive viewers")
                .register(registry);
        Gauge.builder("vms.recorder.recovered.bytes.truncated", () -> recorder.recoveryReport().bytesTruncated())
                .description("Bytes of incomplete fragments cut at the last start-up recovery").register(registry);
        Gauge.builder("vms.recorder.recovered.fragments", () -> recorder.recoveryReport().fragmentsKept())
                .description("Fragments kept by the last start-up recovery").register(registry);
        String volume = storage.toAbsolutePath().toString();
        // Issue 17: overload degrades (frames dropped, counted) instead of filling the heap.
        Gauge.builder("vms.overload", recorder, Recorder::overloadedStreams)
                .description("Streams dropping frames for lack of queue room now or within the last minute")
                .register(registry);
        Gauge.builder("vms.recorder.queued", recorder, r -> r.queueBudget().used()).baseUnit("bytes")
                .description("Bytes of frames queued for the writer threads, all streams").register(registry);
        Gauge.builder("vms.recorder.queue.limit", recorder, r -> r.queueBudget().limit()).baseUnit("bytes")
                .description("Bound of the bytes queued for the writer threads (a quarter of the heap)")
                .register(registry);
        Gauge.builder("vms.storage.free", () -> space(storage, FileStoreSpace.FREE)).baseUnit("bytes")
                .tag("volume", volume).description("Usable free bytes of the storage volume").register(registry);
        Gauge.builder("vms.storage.total", () -> space(storage, FileStoreSpace.TOTAL)).baseUnit("bytes")
                .tag("volume", volume).description("Size of the storage volume").register(registry);
    }

    /**
     * Binds the capacity estimate (issue 17): {@code vms_capacity_ingest_load_ratio}, the estimated ingest CPU over its
     * budget (above 1, frames will be dropped), and {@code vms_capacity_heap_needed_bytes}, the heap the rule asks for
     * the recorded streams (against {@code vms_memory_heap_max_bytes}).
     */
    public synchronized void bindCapacity(org.vigie.server.memory.CapacityMonitor capacity) {
        Gauge.builder("vms.capacity.ingest.load.ratio", capacity, c -> c.current().cpuRatio()).strongReference(true)
                .description("Estimated ingest CPU of the recorded streams over the CPU this server gives it "
                        + "(measured cost per stream and engine); above 1, frames will be dropped").register(registry);
        Gauge.builder("vms.capacity.heap.needed", capacity, c -> c.current().heapNeededMb() * 1024.0 * 1024.0)
                .strongReference(true)
                .baseUnit("bytes").description("Heap the sizing rule asks for the recorded streams (docs/install.md)")
                .register(registry);
    }

    /**
     * Binds the burn-in of privacy masks (issue 14): {@code vms_privacy_transcodes_active} (masked transcodings
     * running, bounded by {@code privacy.max-transcodes}), {@code vms_privacy_transcodes_max},
     * {@code vms_privacy_transcodes_started_total}, {@code vms_privacy_transcodes_refused_total} (503s: every slot
     * was taken) and {@code vms_privacy_frames_transcoded_total} (pictures decoded, masked and re-encoded: the CPU
     * the masks cost, about 1 ms of a core per 720p picture). Call once, after playback started.
     */
    public synchronized void bindPrivacy(org.vigie.playback.privacy.BurnIn burnIn) {
        Gauge.builder("vms.privacy.transcodes.active", burnIn, b -> b.active()).strongReference(true)
                .description("Masked transcodings running (privacy masks burned in)").register(registry);
        Gauge.builder("vms.privacy.transcodes.max", burnIn, b -> b.maxTranscodes()).strongReference(true)
                .description("privacy.max-transcodes: masked transcodings allowed at once").register(registry);
        FunctionCounter.builder("vms.privacy.transcodes.started", burnIn, b -> b.started())
                .description("Masked transcodings started").register(registry);
        FunctionCounter.builder("vms.privacy.transcodes.refused", burnIn, b -> b.refused())
                .description("Masked transcodings refused because every slot was taken (503)").register(registry);
        FunctionCounter.builder("vms.privacy.frames.transcoded", burnIn, b -> b.framesTranscoded())
                .description("Pictures decoded, masked and re-encoded").register(registry);
    }

    /**
     * Binds the storage side of issue #6, as function meters read when scraped (no work per frame or per sweep):
     * the sweeper's counters since start ({@code vms_retention_segments_deleted_total{cause=retention|quota}},
     * {@code vms_retention_freed_bytes_total}, {@code vms_retention_failures_total}, {@code vms_retention_runs_total})
     * and, per configured volume, {@code vms_storage_free_bytes{volume}} (-1 when it cannot be measured) and
     * {@code vms_storage_target_free_bytes{volume}}. Call once, after the sweeper started.
     *
     * @param sweeper null when no sweeper runs (its counters are then not exported)
     */
    public synchronized void bindRetention(RetentionSweeper sweeper, VolumeSet volumes) {
        if (sweeper != null) {
            FunctionCounter.builder("vms.retention.segments.deleted", sweeper,
                    RetentionSweeper::segmentsDeletedByRetention).tag("cause", RetentionSweeper.RETENTION)
                    .description("Segments destroyed by the retention sweeper").register(registry);
            FunctionCounter.builder("vms.retention.segments.deleted", sweeper,
                    RetentionSweeper::segmentsDeletedByQuota).tag("cause", RetentionSweeper.QUOTA)
                    .description("Segments destroyed by the retention sweeper").register(registry);
            FunctionCounter.builder("vms.retention.freed", sweeper, RetentionSweeper::bytesFreed).baseUnit("bytes")
                    .description("Segment and index bytes destroyed by the retention sweeper").register(registry);
            FunctionCounter.builder("vms.retention.failures", sweeper, RetentionSweeper::failures)
                    .description("Failed deletion batches and failed sweeps").register(registry);
            FunctionCounter.builder("vms.retention.runs", sweeper, RetentionSweeper::runs)
                    .description("Retention sweeps run").register(registry);
        }
        for (StorageVolume v : volumes.volumes()) {
            Tags tags = Tags.of("volume", v.path().toAbsolutePath().toString());
            if (registry.find("vms.storage.free").tags(tags).gauge() == null) { // the primary volume has one already
                Gauge.builder("vms.storage.free", () -> volume(volumes, v, VolumeStatus::usableBytes)).baseUnit("bytes")
                        .tags(tags).description("Usable free bytes of the storage volume").register(registry);
            }
            Gauge.builder("vms.storage.target.free", () -> volume(volumes, v, VolumeStatus::targetFreeBytes))
                    .baseUnit("bytes").tags(tags).description("Free bytes the retention sweeper keeps on the volume")
                    .register(registry);
        }
    }

    private static double volume(VolumeSet volumes, StorageVolume v, ToDoubleFunction<VolumeStatus> f) {
        for (VolumeStatus s : volumes.status()) {
            if (s.path().equals(v.path())) {
                return f.applyAsDouble(s);
            }
        }
        return Double.NaN;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The counter of viewers, for the live and archive playback servers. */
    public AtomicInteger viewers() {
        return viewers;
    }

    /** Registers the meters of new streams and removes those of removed cameras. */
    public synchronized void sync() {
        Map<StreamKey, Boolean> present = new HashMap<>();
        cameras.list().forEach(c -> c.supervisors().keySet().forEach(s -> present.put(new StreamKey(c.id(), s), true)));
        // in a cluster, a camera recorded on another node keeps its main stream's meters here (its state is that node's)
        cameras.list().forEach(c -> {
            if (elsewhere.apply(c.id()).isPresent()) present.put(new StreamKey(c.id(), StreamKey.MAIN), true);
        });
        for (StreamKey k : new ArrayList<>(streamMeters.keySet())) {
            if (!present.containsKey(k)) {
                streamMeters.remove(k).forEach(registry::remove);
            }
        }
        for (StreamKey k : present.keySet()) {
            streamMeters.computeIfAbsent(k, this::register);
        }
    }

    /** Camera id to the state of the node that records it when that is another node (issue 13), else empty. */
    private volatile java.util.function.Function<String, java.util.Optional<String>> elsewhere =
            id -> java.util.Optional.empty();

    /**
     * In a cluster (issue 13): {@code vms_camera_state} of a camera recorded on another node reports that node's
     * state ({@code unknown} or {@code unassigned}: every state 0), not this node's {@code disabled}.
     */
    public void bindElsewhere(java.util.function.Function<String, java.util.Optional<String>> stateElsewhere) {
        this.elsewhere = stateElsewhere;
    }

    /** The Prometheus text exposition (version 0.0.4), after {@link #sync()}. */
    public String scrape() {
        sync();
        return registry.scrape();
    }

    private List<Meter> register(StreamKey key) {
        Tags tags = Tags.of("camera", key.cameraId(), "stream", key.stream());
        List<Meter> m = new ArrayList<>();
        m.add(counter("vms.camera.frames", "Frames received from the camera", tags, key, s -> s.frames()));
        m.add(counter("vms.camera.bytes", "Bytes received from the camera", tags, key, s -> s.bytes()));
        m.add(counter("vms.camera.frames.lost", "Frames lost by ingest", tags, key, s -> s.framesDropped()));
        m.add(counter("vms.camera.reconnects", "Reconnections to the camera", tags, key, s -> s.reconnects()));
        m.add(gauge("vms.camera.fps", "Frames per second (sliding window)", tags, () -> status(key).map(CameraStatus::fps)
                .orElse(0.0)));
        m.add(Gauge.builder("vms.camera.bitrate", () -> status(key).map(CameraStatus::bitrate).orElse(0.0))
                .baseUnit("bits.per.second").description("Bit rate (sliding window)").tags(tags).register(registry));
        for (CameraState st : CameraState.values()) {
            String name = st.name().toLowerCase();
            m.add(gauge("vms.camera.state", "1 for the stream's current state (in a cluster, for a camera recorded "
                    + "on another node, that node's state of the camera)", tags.and("state", name),
                    () -> elsewhere.apply(key.cameraId()).map(s -> s.equals(name) ? 1 : 0)
                            .orElseGet(() -> status(key).map(s -> s.state() == st ? 1 : 0).orElse(0))));
        }
        m.add(recCounter("vms.recorder.frames.written", "Frames stored in published fragments", tags, key,
                StreamStats::framesWritten));
        m.add(recCounter("vms.frames.dropped", "Frames dropped because the writer queue was full", tags, key,
                StreamStats::framesDropped));
        m.add(recCounter("vms.recorder.segments", "Segments started (rolls)", tags, key, StreamStats::segments));
        m.add(recCounter("vms.recorder.overloads", "Times the stream started dropping to the next key frame for lack "
                + "of queue room (bytes or frames)", tags, key, StreamStats::overloads));
        m.add(gauge("vms.camera.overloaded", "1 while the stream drops frames for lack of queue room (or did within "
                + "the last minute)", tags, () -> stats(key).map(s -> s.overloaded() ? 1 : 0).orElse(0)));
        m.add(recCounter("vms.recorder.write.errors", "Write errors", tags, key, StreamStats::writeErrors));
        m.add(Gauge.builder("vms.recorder.write.latency", () -> stats(key).map(s -> s.lastWriteMicros() / 1e6).orElse(0.0))
                .baseUnit("seconds").description("Duration of the last fragment write (append + fsync + index)")
                .tags(tags).register(registry));
        m.add(Gauge.builder("vms.recorder.fsync.latency", () -> stats(key).map(s -> s.lastFsyncMicros() / 1e6).orElse(0.0))
                .baseUnit("seconds").description("Duration of the last fsync").tags(tags).register(registry));
        return m;
    }

    private Meter counter(String name, String help, Tags tags, StreamKey key, ToDoubleFunction<CameraStatus> f) {
        return FunctionCounter.builder(name, key, k -> status(k).map(f::applyAsDouble).orElse(0.0))
                .description(help).tags(tags).register(registry);
    }

    private Meter recCounter(String name, String help, Tags tags, StreamKey key, ToDoubleFunction<StreamStats> f) {
        return FunctionCounter.builder(name, key, k -> stats(k).map(f::applyAsDouble).orElse(0.0))
                .description(help).tags(tags).register(registry);
    }

    private Meter gauge(String name, String help, Tags tags, java.util.function.Supplier<Number> f) {
        return Gauge.builder(name, f).description(help).tags(tags).register(registry);
    }

    private Optional<CameraStatus> status(StreamKey key) {
        return cameras.get(key.cameraId()).map(c -> c.supervisors().get(key.stream())).map(CameraSupervisor::status);
    }

    private Optional<StreamStats> stats(StreamKey key) {
        return recorder.stats(key);
    }

    private enum FileStoreSpace { FREE, TOTAL }

    private static double space(Path storage, FileStoreSpace which) {
        try {
            FileStore fs = Files.getFileStore(storage);
            return which == FileStoreSpace.FREE ? fs.getUsableSpace() : fs.getTotalSpace();
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
