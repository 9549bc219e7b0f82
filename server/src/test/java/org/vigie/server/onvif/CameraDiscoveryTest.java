package org.vigie.server.onvif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigie.camera.DiscoveredDevice;
import org.vigie.camera.discovery.AddressRange;
import org.vigie.server.config.DiscoveryConfig;
import org.vigie.simulator.onvif.OnvifSimulator;
import org.vigie.simulator.onvif.SimulatedCameraInfo;

/** Discovery against the ONVIF simulator, pinned to {@code lo} on a private port. */
class CameraDiscoveryTest {

    private static OnvifSimulator simulator;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        simulator = OnvifSimulator.start(OnvifSimulator.Options.defaults("127.0.0.1", 0, null).withDiscoveryPort(port),
                List.of(new SimulatedCameraInfo("a", "Alpha", "rtsp://127.0.0.1:1/a"),
                        new SimulatedCameraInfo("b", "Bravo", "rtsp://127.0.0.1:1/b")));
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static DiscoveryConfig lo() {
        return new DiscoveryConfig("lo", Duration.ofMillis(600), port);
    }

    @Test
    void multicastAndUnicastProbesFindEverySimulatedCameraAndPrintOneLineEach() throws Exception {
        try (CameraDiscovery d = CameraDiscovery.open(lo())) {
            List<DiscoveredDevice> multicast = d.discover(Optional.empty(), Optional.empty());
            List<DiscoveredDevice> unicast = d.discover(Optional.of(AddressRange.parse("127.0.0.1")),
                    Optional.of(Duration.ofMillis(600)));
            for (List<DiscoveredDevice> found : List.of(multicast, unicast)) {
                assertThat(found).extracting(DiscoveredDevice::name).containsExactlyInAnyOrder("Alpha", "Bravo");
            }
            DiscoveredDevice a = multicast.stream().filter(x -> x.name().equals("Alpha")).findFirst().orElseThrow();
            assertThat(CameraDiscovery.line(a)).isEqualTo(a.endpointReference() + "\t"
                    + simulator.camera("a").deviceServiceUrl() + "\tname=Alpha\thardware=SimCam-PTZ\tlocation=simulator");
        }
    }

    @Test
    void aThirdConcurrentProbeIsRefusedAtOnceNotQueued() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CameraDiscovery.CONCURRENT_PROBES);
        try (CameraDiscovery d = CameraDiscovery.open(lo())) {
            List<Future<List<DiscoveredDevice>>> running = new java.util.ArrayList<>();
            for (int i = 0; i < CameraDiscovery.CONCURRENT_PROBES; i++) {
                running.add(pool.submit(() -> d.discover(Optional.empty(), Optional.of(Duration.ofSeconds(5)))));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (d.probesRunning() < CameraDiscovery.CONCURRENT_PROBES && System.nanoTime() < deadline) {
                Thread.sleep(10); // waiting for both probes to hold their place, however slow the machine
            }
            assertThat(d.probesRunning()).as("probes running").isEqualTo(CameraDiscovery.CONCURRENT_PROBES);
            assertThatThrownBy(() -> d.discover(Optional.empty(), Optional.of(Duration.ofSeconds(2))))
                    .isInstanceOf(CameraDiscovery.Busy.class);
            // refused, not queued: it returned while the probes it would have waited for were still running
            assertThat(running).as("probes still running when the third was refused").noneMatch(Future::isDone);
            for (Future<List<DiscoveredDevice>> f : running) {
                assertThat(f.get()).hasSize(2);
            }
            assertThat(d.discover(Optional.empty(), Optional.of(Duration.ofMillis(300)))).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badWindowAndUnknownInterfaceAreRefused() throws Exception {
        try (CameraDiscovery d = CameraDiscovery.open(lo())) {
            assertThatThrownBy(() -> d.discover(Optional.empty(), Optional.of(Duration.ZERO)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> d.discover(Optional.empty(), Optional.of(Duration.ofMinutes(1))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> CameraDiscovery.open(new DiscoveryConfig("no-such-if0", Duration.ofSeconds(1), port)))
                .isInstanceOf(SocketException.class).hasMessageContaining("no-such-if0");
    }
}
