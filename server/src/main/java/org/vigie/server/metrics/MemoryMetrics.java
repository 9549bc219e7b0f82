package org.vigie.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.function.IntSupplier;
import org.vigie.server.memory.ProcStatus;

/**
 * Where the server's memory goes, read when scraped (issue 15), whether or not {@code metrics.jvm} is on:
 * <ul>
 *   <li>{@code vms_memory_heap_used_bytes}, {@code vms_memory_heap_committed_bytes}, {@code vms_memory_heap_max_bytes}</li>
 *   <li>{@code vms_memory_direct_used_bytes}: NIO direct buffers (Netty's included when they go through the JDK)
 *       plus those Netty allocates without a cleaner; {@code vms_memory_direct_max_bytes} its bound
 *       ({@code -XX:MaxDirectMemorySize})</li>
 *   <li>{@code vms_memory_resident_bytes}: the process's resident memory ({@code VmRSS} of {@code /proc/self/status})</li>
 *   <li>{@code vms_memory_native_resident_bytes}: resident memory minus the committed heap: GStreamer, glibc's
 *       arenas, direct buffers, thread stacks, the JVM's own code and metaspace; and
 *       {@code vms_memory_native_resident_per_stream_bytes}, that divided by the streams recorded (absent at 0)</li>
 * </ul>
 * The committed heap is counted whole even where the collector has not touched it yet, so the native part is a
 * lower bound.
 */
final class MemoryMetrics {

    private MemoryMetrics() {
    }

    static void bindTo(MeterRegistry registry, IntSupplier streams) {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElse(null);
        Gauge.builder("vms.memory.heap.used", mem, m -> m.getHeapMemoryUsage().getUsed()).baseUnit("bytes")
                .description("Java heap in use").register(registry);
        Gauge.builder("vms.memory.heap.committed", mem, m -> m.getHeapMemoryUsage().getCommitted()).baseUnit("bytes")
                .description("Java heap committed by the collector").register(registry);
        Gauge.builder("vms.memory.heap.max", mem, m -> m.getHeapMemoryUsage().getMax()).baseUnit("bytes")
                .description("Java heap bound (-Xmx)").register(registry);
        Gauge.builder("vms.memory.direct.used", () -> directUsed(direct)).baseUnit("bytes")
                .description("Direct buffers (NIO and Netty)").register(registry);
        Gauge.builder("vms.memory.direct.max", PlatformDependent::maxDirectMemory).baseUnit("bytes")
                .description("Direct memory bound (-XX:MaxDirectMemorySize)").register(registry);
        Gauge.builder("vms.memory.resident", MemoryMetrics::resident).baseUnit("bytes")
                .description("Resident memory of the process (VmRSS)").register(registry);
        Gauge.builder("vms.memory.native.resident", mem, MemoryMetrics::nativeResident).baseUnit("bytes")
                .description("Resident memory outside the committed Java heap").register(registry);
        Gauge.builder("vms.memory.native.resident.per.stream", mem, m -> {
            int n = streams.getAsInt();
            return n > 0 ? nativeResident(m) / n : Double.NaN;
        }).baseUnit("bytes").description("Resident memory outside the Java heap, per recorded stream")
                .register(registry);
    }

    private static double directUsed(BufferPoolMXBean direct) {
        long jdk = direct == null ? 0 : direct.getMemoryUsed();
        long netty = PlatformDependent.usedDirectMemory(); // -1 unless Netty allocates without the JDK's cleaner
        return jdk + Math.max(0, netty);
    }

    private static double resident() {
        long rss = ProcStatus.selfResidentBytes();
        return rss < 0 ? Double.NaN : rss;
    }

    private static double nativeResident(MemoryMXBean mem) {
        long rss = ProcStatus.selfResidentBytes();
        return rss < 0 ? Double.NaN : rss - mem.getHeapMemoryUsage().getCommitted();
    }
}
