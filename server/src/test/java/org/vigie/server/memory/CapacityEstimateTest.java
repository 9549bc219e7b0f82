package org.vigie.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.config.IngestConfig;
import org.vigie.ingest.IngestEngines;

class CapacityEstimateTest {

    private static final IngestConfig AUTO_TCP = new IngestConfig(IngestConfig.Transport.TCP, Duration.ofMillis(200),
            Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10), IngestEngines.Choice.AUTO);

    private static CameraConfig camera(int i, String url, IngestConfig.Transport transport,
                                       IngestEngines.Choice engine, boolean enabled) {
        return new CameraConfig("cam-" + i, "Camera " + i, URI.create(url), URI.create(url + "/sub"), true, null,
                null, transport, enabled, null, null, null, engine, null, false, false);
    }

    private static List<CameraConfig> cameras(int n, String url, IngestEngines.Choice engine) {
        List<CameraConfig> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(camera(i, url, null, engine, true));
        }
        return out;
    }

    @Test
    void eachEnabledCameraCountsItsRecordedStreamsOnTheEngineThatWillRecordThem() {
        List<CameraConfig> cams = List.of(
                camera(1, "rtsp://127.0.0.1/a", null, null, true),                                  // java, main + sub
                camera(2, "rtsps://127.0.0.1/b", IngestConfig.Transport.UDP, null, true),           // java (rtsps)
                camera(3, "rtsp://127.0.0.1/c", IngestConfig.Transport.UDP, null, true),            // gstreamer (UDP)
                camera(4, "rtsp://127.0.0.1/d", null, IngestEngines.Choice.GSTREAMER, true),        // gstreamer
                camera(5, "rtsp://127.0.0.1/e", null, null, false));                                // disabled
        CapacityEstimate e = CapacityEstimate.of(cams, AUTO_TCP, 2, 4096);
        assertThat(e.javaStreams()).isEqualTo(4);
        assertThat(e.gstreamerStreams()).isEqualTo(4);
        assertThat(e.shortfalls()).isEmpty();
    }

    @Test
    void threeHundredGStreamerCamerasOnTwoCoresAreBeyondTheMeasuredCapacity() {
        // Issue 17's run: 300 cameras on the GStreamer engine, 2 cores: every stream ended up dropping frames.
        CapacityEstimate e = CapacityEstimate.of(cameras(300, "rtsp://127.0.0.1/x", IngestEngines.Choice.GSTREAMER)
                .stream().map(c -> new CameraConfig(c.id(), c.name(), c.url(), null, false, null, null, null, true,
                        null, null, null, c.engine(), null, false, false)).toList(), AUTO_TCP, 2, 4096);
        assertThat(e.cpuRatio()).isGreaterThan(1);
        assertThat(e.shortfalls()).singleElement().asString()
                .contains("300 stream(s)").contains("by GStreamer").contains("frames will be dropped");
    }

    @Test
    void theSameCamerasOnTheJavaClientFit() {
        CapacityEstimate e = CapacityEstimate.of(cameras(150, "rtsp://127.0.0.1/x", null).stream()
                .map(c -> new CameraConfig(c.id(), c.name(), c.url(), null, false, null, null, null, true, null, null,
                        null, null, null, false, false)).toList(), AUTO_TCP, 2, JvmOptions.heapMbFor(150));
        assertThat(e.javaStreams()).isEqualTo(150);
        assertThat(e.cpuRatio()).isLessThan(1);
        assertThat(e.shortfalls()).isEmpty();
    }

    @Test
    void aHeapBelowTheRuleIsAShortfall() {
        // Issue 17's options: -Xmx380m for 300 cameras, below the rule's heap with its margin.
        List<CameraConfig> cams = cameras(300, "rtsp://127.0.0.1/x", null).stream()
                .map(c -> new CameraConfig(c.id(), c.name(), c.url(), null, false, null, null, null, true, null, null,
                        null, null, null, false, false)).toList();
        CapacityEstimate e = CapacityEstimate.of(cams, AUTO_TCP, 8, 380);
        assertThat(e.shortfalls()).singleElement().asString()
                .contains("heap of " + JvmOptions.heapMbFor(300) + " MB").contains("has 380 MB");
        assertThat(CapacityEstimate.of(cams, AUTO_TCP, 8, JvmOptions.heapMbFor(300)).shortfalls()).isEmpty();
        // -Xmx608m as bin/vms run sizes it for 300 streams: the serial collector's Runtime.maxMemory() says 587 MB.
        assertThat(CapacityEstimate.of(cams, AUTO_TCP, 8, 587).shortfalls()).isEmpty();
    }

    @Test
    void theMonitorFollowsCamerasAddedAndRemoved() {
        List<CameraConfig> few = cameras(10, "rtsp://127.0.0.1/x", IngestEngines.Choice.GSTREAMER).stream()
                .map(c -> new CameraConfig(c.id(), c.name(), c.url(), null, false, null, null, null, true, null, null,
                        null, c.engine(), null, false, false)).toList();
        CapacityMonitor monitor = new CapacityMonitor(AUTO_TCP, few, 1, 4096);
        assertThat(monitor.current().shortfalls()).isEmpty();
        List<CameraConfig> more = new ArrayList<>();
        for (int i = 10; i < 200; i++) {
            CameraConfig c = new CameraConfig("cam-" + i, "Camera " + i, URI.create("rtsp://127.0.0.1/" + i), null,
                    false, null, null, null, true, null, null, null, IngestEngines.Choice.GSTREAMER, null, false, false);
            more.add(c);
            monitor.put(c);
        }
        assertThat(monitor.current().gstreamerStreams()).isEqualTo(200);
        assertThat(monitor.current().shortfalls()).hasSize(1);
        assertThat(monitor.warnings()).as("said once when crossed, not at each camera beyond").isEqualTo(1);
        more.forEach(c -> monitor.removed(c.id()));
        assertThat(monitor.current().streams()).isEqualTo(10);
        assertThat(monitor.current().shortfalls()).isEmpty();
        assertThat(monitor.warnings()).as("nor at each removal").isEqualTo(1);
    }
}
