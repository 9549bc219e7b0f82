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
