package org.vigie.server.memory;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.config.IngestConfig;

/**
 * Keeps the {@link CapacityEstimate} of the cameras the server records, from start and through every camera added,
 * changed or removed (it observes the camera registry), and says at WARN what goes beyond the capacity each time that
 * changes: an operator hears "frames will be dropped" when the camera that tips the server over is added, not at the
 * first dropped frame. Thread-safe.
 */
public final class CapacityMonitor implements CameraRegistry.Observer {

    private static final Logger LOG = LoggerFactory.getLogger(CapacityMonitor.class);

    private final IngestConfig ingest;
    private final int processors;
    private final long heapMaxMb;
    private final Map<String, CameraConfig> cameras = new ConcurrentHashMap<>();
    private volatile CapacityEstimate current;
    private boolean saidCpu;
    private boolean saidHeap;
    private int warnings;

    public CapacityMonitor(IngestConfig ingest, Collection<CameraConfig> initial, int processors, long heapMaxMb) {
        this.ingest = ingest;
        this.processors = processors;
        this.heapMaxMb = heapMaxMb;
        initial.forEach(c -> cameras.put(c.id(), c));
        evaluate();
    }

    /** For this JVM: its cores and its maximum heap. */
    public static CapacityMonitor forThisJvm(IngestConfig ingest, Collection<CameraConfig> initial) {
        Runtime rt = Runtime.getRuntime();
        return new CapacityMonitor(ingest, initial, rt.availableProcessors(), rt.maxMemory() >> 20);
    }

    public CapacityEstimate current() {
        return current;
    }

    @Override
    public void put(CameraConfig config) {
        cameras.put(config.id(), config);
        evaluate();
    }

    @Override
    public void removed(String id) {
        cameras.remove(id);
        evaluate();
    }

    private synchronized void evaluate() {
        CapacityEstimate e = CapacityEstimate.of(cameras.values(), ingest, processors, heapMaxMb);
        current = e;
        // Said once when a limit is crossed, not at every camera beyond it (nor at each removal of a shutdown).
        boolean cpu = e.cpuShort();
        boolean heap = e.heapShort();
        if ((cpu && !saidCpu) || (heap && !saidHeap)) {
            e.shortfalls().forEach(s -> LOG.warn("capacity: {}", s));
            warnings++;
        } else if (!cpu && !heap && (saidCpu || saidHeap)) {
            LOG.info("capacity: {} stream(s) fit this server again (ingest at {}% of its CPU budget)",
                    e.streams(), Math.round(e.cpuRatio() * 100));
        }
        saidCpu = cpu;
        saidHeap = heap;
    }

    /** How many times a crossed limit was said (for tests). */
    synchronized int warnings() {
        return warnings;
    }
}
