package org.vigie.server.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options of the server, chosen from the streams it will record: what {@code bin/vms run} (and so the
 * systemd unit) starts it with unless {@code VMS_JAVA_OPTS} is set, and what {@code bin/vms bench ingest} measures.
 *
 * <ul>
 *   <li>Heap: {@value #MARGIN_PERCENT} % of the measured rule, {@value #FIXED_MB} MB plus {@value #PER_STREAM_MB} MB
 *       per recorded stream (each 2 Mbit/s stream keeps its open 2 s fragment, about 0.5 MB, in the heap until it is
 *       written; the other half is room to collect): 128 MB + 1.6 MB per stream, docs/install.md's rule. The
 *       margin: at 300 cameras the rule's heap alone filled with queued frames under load (issue 17), and a quarter
 *       of the heap bounds the writer queues. {@code server.heap} replaces the computed size.</li>
 *   <li>Collector: serial up to {@value #SERIAL_MAX_MB} MB of heap (short pauses on a small heap, no GC threads:
 *       the configuration {@code bin/vms bench ingest} measured); G1 above, where a full serial collection of the
 *       old generation would stall every camera's callback for too long.</li>
 *   <li>Committed heap: with the serial collector the heap starts at {@value #INITIAL_HEAP_MB} MB and follows the
 *       live set: after each full collection it is grown until {@value #MIN_FREE_PERCENT} % of it is free and shrunk
 *       when more than {@value #MAX_FREE_PERCENT} % is ({@code -XX:MinHeapFreeRatio}, {@code MaxHeapFreeRatio}),
 *       never beyond the rule's {@code -Xmx}. A serial heap committed whole at start (the JVM's default
 *       {@code -Xms} is a 64th of the machine's memory, here above {@code -Xmx}) ends fully resident: each frame
 *       lives up to its fragment's 2 s, is promoted, and the old generation fills with dead frames before each full
 *       collection. Measured at 100 cameras (bench-results/heap-rule-2026-12-06, docs/performance.md; the machine
 *       loaded by other runs, load average 10 to 38): the live set after a full collection is 44-48 MB (11 MB
 *       with no camera), 0.33 MB per camera. The rule's {@code -Xmx288m} committed whole: 396-413 MB resident, 5
 *       full collections and 4.3-4.7 s of pauses in 90 s. Following the live set with free 50-70 %: 153 MB
 *       committed, 277-290 MB resident, 19 full collections of 45 MB each, 4.3 s of pauses, 0 frames dropped; with
 *       {@code bench ingest}, 2.92 and 3.84 MB per camera against main's 4.10-4.21. A fixed {@code -Xmx176m}
 *       instead dropped 29 % of the frames at load 24 (20 full collections, 13 s of pauses): a loaded server's queued
 *       frames and open fragments need the rule's maximum, which the heap keeps (at 300 cameras, overloaded, the
 *       live set reached 310 MB and the heap its maximum within 20 s). The JVM's own 40-70 % collected every 2 s and
 *       then spiralled under load (13 s of pauses, frames dropped).</li>
 *   <li>Direct memory (Netty's buffers, NIO): {@value #DIRECT_FIXED_MB} MB plus {@value #DIRECT_PER_STREAM_KB} kB
 *       per stream, instead of the JDK's default (as large as the heap).</li>
 *   <li>Thread stacks of 512 kB (GStreamer and Netty start several threads per camera).</li>
 * </ul>
 * G1 with no {@code -Xmx} (the former default) lets the heap grow to a quarter or half of the machine's memory and
 * keeps it: a 60-camera server grew from 444 MB to 1.2 GB resident in 20 minutes (issue 15).
 */
public record JvmOptions(int heapMb, boolean serial, int directMb) {

    static final int FIXED_MB = 80;
    static final int PER_STREAM_MB = 1;
    static final int MARGIN_PERCENT = 160;
    static final int SERIAL_MAX_MB = 1024;
    static final int INITIAL_HEAP_MB = 32;
    static final int MIN_FREE_PERCENT = 50;
    static final int MAX_FREE_PERCENT = 70;
    static final int DIRECT_FIXED_MB = 64;
    static final int DIRECT_PER_STREAM_KB = 512;
    /** The smallest {@code server.heap} accepted. */
    public static final int MIN_HEAP_MB = 64;

    public JvmOptions {
        if (heapMb < MIN_HEAP_MB || directMb < 1) {
            throw new IllegalArgumentException("heap of at least " + MIN_HEAP_MB + " MB, got " + heapMb);
        }
    }

    /** The heap the rule gives for this many recorded streams, margin included. */
    public static int heapMbFor(int streams) {
        if (streams < 0) throw new IllegalArgumentException("streams >= 0, got " + streams);
        long rule = FIXED_MB + (long) PER_STREAM_MB * streams;
        return Math.toIntExact((rule * MARGIN_PERCENT + 99) / 100);
    }

    /**
     * The options for a server recording {@code streams} streams.
     *
     * @param heapOverrideMb {@code server.heap} in MB, or 0 for {@code auto} (the rule)
     */
    public static JvmOptions forStreams(int streams, int heapOverrideMb) {
        int heap = heapOverrideMb > 0 ? heapOverrideMb : heapMbFor(streams);
        int direct = DIRECT_FIXED_MB + (int) (((long) DIRECT_PER_STREAM_KB * streams + 1023) / 1024);
        return new JvmOptions(heap, heap <= SERIAL_MAX_MB, direct);
    }

    /** The arguments, in the order given to {@code java}. */
    public List<String> arguments() {
        List<String> a = new ArrayList<>();
        a.add("-Xmx" + heapMb + "m");
        a.add("-Xss512k");
        if (serial) {
            a.add("-XX:+UseSerialGC");
            a.add("-Xms" + INITIAL_HEAP_MB + "m"); // below MIN_HEAP_MB, so below -Xmx
            a.add("-XX:MinHeapFreeRatio=" + MIN_FREE_PERCENT);
            a.add("-XX:MaxHeapFreeRatio=" + MAX_FREE_PERCENT);
        } else {
            a.add("-XX:+UseG1GC");
        }
        a.add("-XX:MaxDirectMemorySize=" + directMb + "m");
        return a;
    }

    /** The arguments on one line, as {@code vms jvm-options} prints them. */
    @Override
    public String toString() {
        return String.join(" ", arguments());
    }
}
