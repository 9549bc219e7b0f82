package org.vigie.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.VmsServer;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.config.VmsConfig;
import org.vigie.systemd.SystemdNotifier;

/**
 * Per-camera meters follow the cameras: registered when a camera is added, reading its supervisor's live status
 * (here a camera whose port refuses connections: state retrying, reconnects growing), removed with the camera.
 */
class VmsMetricsTest {

    @TempDir
    Path dir;

    @Test
    void cameraMetersFollowTheCameras() throws Exception {
        VmsConfig config = VmsConfig.parse("""
                server: { bind-address: 127.0.0.1, http-port: 0 }
                storage: { path: '%s' }
                ingest: { reconnect-min: 100ms, reconnect-max: 200ms }
                auth: { argon2-memory-kib: 64, argon2-iterations: 1 }
                """.formatted(dir.resolve("rec")));
        try (VmsServer server = VmsServer.start(config, InstantSource.system(), new SystemdNotifier(null, null), null)) {
            VmsMetrics metrics = server.metrics();
            assertThat(scrape(metrics)).doesNotContain("camera=\"refused\"").contains("vms_storage_free_bytes",
                    "vms_viewers 0.0", "jvm_threads_live_threads");
            server.cameras().put(new CameraConfig("refused", "refused", URI.create("rtsp://127.0.0.1:9/x"), null,
                    false, null, null, null, true, null, Duration.ofDays(1)));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String text = scrape(metrics);
            while (!(text.contains("vms_camera_state{camera=\"refused\",state=\"retrying\",stream=\"main\"} 1.0")
                    && reconnects(text) >= 2) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                text = scrape(metrics);
            }
            assertThat(text).contains("vms_camera_state{camera=\"refused\",state=\"retrying\",stream=\"main\"} 1.0",
                    "vms_camera_state{camera=\"refused\",state=\"streaming\",stream=\"main\"} 0.0",
                    "vms_camera_frames_total{camera=\"refused\",stream=\"main\"} 0.0");
            assertThat(reconnects(text)).isGreaterThanOrEqualTo(2);
            metrics.viewers().incrementAndGet();
            server.cameras().remove("refused");
            String after = scrape(metrics);
            assertThat(after).doesNotContain("camera=\"refused\"").contains("vms_viewers 1.0");
        }
    }

    /**
     * The memory meters read this JVM: heap used within committed within max, direct buffers that grow by what is
     * allocated, resident memory as /proc/self/status gives it, and the native part split over the recorded streams.
     */
    @Test
    void memoryMetersReadTheHeapTheDirectBuffersAndTheResidentMemory() throws Exception {
        VmsConfig config = VmsConfig.parse("""
                server: { bind-address: 127.0.0.1, http-port: 0 }
                storage: { path: '%s' }
                metrics: { jvm: false }
                auth: { argon2-memory-kib: 64, argon2-iterations: 1 }
                cameras:
                  - { id: a, url: 'rtsp://127.0.0.1:9/a', sub-url: 'rtsp://127.0.0.1:9/as', record-sub: true }
                  - { id: b, url: 'rtsp://127.0.0.1:9/b' }
                """.formatted(dir.resolve("rec")));
        try (VmsServer server = VmsServer.start(config, InstantSource.system(), new SystemdNotifier(null, null), null)) {
            String text = scrape(server.metrics());
            double used = value(text, "vms_memory_heap_used_bytes");
            double committed = value(text, "vms_memory_heap_committed_bytes");
            double max = value(text, "vms_memory_heap_max_bytes");
            assertThat(used).isPositive().isLessThanOrEqualTo(committed);
            assertThat(committed).isLessThanOrEqualTo(max);
            assertThat(max).isEqualTo(Runtime.getRuntime().maxMemory());
            assertThat(value(text, "vms_memory_direct_max_bytes")).isPositive();

            double rss = value(text, "vms_memory_resident_bytes");
            long procRss = org.vigie.server.memory.ProcStatus.field("self", "status", "VmRSS") * 1024;
            assertThat(rss).isCloseTo(procRss, org.assertj.core.data.Percentage.withPercentage(10));
            double nat = value(text, "vms_memory_native_resident_bytes");
            assertThat(nat).isCloseTo(rss - committed, org.assertj.core.data.Percentage.withPercentage(10));
            // three streams: a's main and sub, b's main
            assertThat(value(text, "vms_memory_native_resident_per_stream_bytes"))
                    .isCloseTo(nat / 3, org.assertj.core.data.Percentage.withPercentage(10));

            double direct0 = value(scrape(server.metrics()), "vms_memory_direct_used_bytes");
            java.nio.ByteBuffer held = java.nio.ByteBuffer.allocateDirect(16 << 20);
            double direct1 = value(scrape(server.metrics()), "vms_memory_direct_used_bytes");
            assertThat(direct1 - direct0).isGreaterThanOrEqualTo(16 << 20);
            assertThat(held.capacity()).isEqualTo(16 << 20);
        }
    }

    private static double value(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError(name + " not in /metrics");
    }

    /** The exposition with simpleclient's trailing label commas removed ({a="b",} becomes {a="b"}). */
    private static String scrape(VmsMetrics metrics) {
        return metrics.scrape().replace(",}", "}");
    }

    private static double reconnects(String text) {
        String prefix = "vms_camera_reconnects_total{camera=\"refused\",stream=\"main\"} ";
        int i = text.indexOf(prefix);
        if (i < 0) return -1;
        int end = text.indexOf('\n', i);
        return Double.parseDouble(text.substring(i + prefix.length(), end));
    }
}
