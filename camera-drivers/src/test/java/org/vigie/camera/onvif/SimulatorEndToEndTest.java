package org.vigie.camera.onvif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.CameraDriverException.Kind;
import org.vigie.camera.CameraEvent;
import org.vigie.camera.CameraStreams;
import org.vigie.camera.Credentials;
import org.vigie.camera.DiscoveredDevice;
import org.vigie.camera.Preset;
import org.vigie.camera.PtzPosition;
import org.vigie.camera.PtzStatus;
import org.vigie.camera.discovery.AddressRange;
import org.vigie.camera.discovery.WsDiscoveryClient;
import org.vigie.simulator.onvif.OnvifSimulator;
import org.vigie.simulator.onvif.SimulatedCameraInfo;
import org.vigie.simulator.onvif.SimulatedOnvifCamera;
import org.vigie.simulator.onvif.SimulatorCredentials;

/**
 * The driver against the ONVIF face of the camera simulator, over real sockets on 127.0.0.1: discovery pinned
 * to the loopback, profiles and stream URIs, PTZ, events with PullPoint renewal, snapshot, authentication.
 */
class SimulatorEndToEndTest {

    private static final Credentials GOOD = new Credentials("operator", "Lyon-2024!");
    private static final List<SimulatedCameraInfo> CAMERAS = List.of(
            new SimulatedCameraInfo("cam-1", "Place Bellecour", "rtsp://127.0.0.1:8554/cam-1",
                    "rtsp://127.0.0.1:8554/cam-1-sub"),
            new SimulatedCameraInfo("cam-2", "Pont Lafayette", "rtsp://127.0.0.1:8554/cam-2"),
            new SimulatedCameraInfo("cam-3", "Gare Part-Dieu", "rtsp://127.0.0.1:8554/cam-3"));

    private static OnvifSimulator simulator;
    private static EventLoopGroup group;
    private static ScheduledExecutorService executor;
    private static int discoveryPort;

    @BeforeAll
    static void start() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            discoveryPort = probe.getLocalPort();
        }
        OnvifSimulator.Options options = OnvifSimulator.Options.defaults("127.0.0.1", 0,
                new SimulatorCredentials(GOOD.username(), GOOD.password())).withDiscoveryPort(discoveryPort)
                .withClockSkew(Duration.ofMinutes(-7));
        simulator = OnvifSimulator.start(options, CAMERAS);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        executor = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        simulator.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        executor.shutdownNow();
    }

    // generous timeouts: the simulator answers at once, but a loaded 2-core machine may take seconds to schedule it;
    // a wrong answer is told apart from a timeout by its kind, not by how fast it came
    private static final OnvifDrivers DRIVERS = new OnvifDrivers(SoapClient.newHttpClient(Duration.ofSeconds(20)),
            InstantSource.system(), Duration.ofSeconds(20));

    private static OnvifCameraDriver driver(String id, Credentials credentials) throws CameraDriverException {
        return DRIVERS.connect(id, URI.create(simulator.camera(id).deviceServiceUrl()), credentials);
    }

    /**
     * The probe is pinned to {@code lo} (IP_MULTICAST_IF, TTL 1, bound to 127.0.0.1); {@code lo} needs no
     * MULTICAST flag for this on Linux (see {@link WsDiscoveryClient}).
     */
    @Test
    void multicastDiscoveryOnLoopbackFindsEverySimulatedCamera() throws Exception {
        WsDiscoveryClient client = new WsDiscoveryClient(group, WsDiscoveryClient.loopback(), discoveryPort);
        List<DiscoveredDevice> found = client.probe(Duration.ofMillis(700));
        Map<String, DiscoveredDevice> byEpr = found.stream()
                .collect(Collectors.toMap(DiscoveredDevice::endpointReference, Function.identity()));
        for (SimulatedCameraInfo info : CAMERAS) {
            DiscoveredDevice d = byEpr.get(OnvifSimulator.endpointReference(info));
            assertThat(d).as("camera %s discovered", info.id()).isNotNull();
            assertThat(d.name()).isEqualTo(info.name());
            assertThat(d.hardware()).isEqualTo("SimCam-PTZ");
            assertThat(d.location()).isEqualTo("simulator");
            assertThat(d.deviceService()).isEqualTo(URI.create(simulator.camera(info.id()).deviceServiceUrl()));
            assertThat(d.types()).contains("dn:NetworkVideoTransmitter");
        }
        assertThat(found).hasSize(CAMERAS.size());
    }

    @Test
    void unicastProbeOfARangeFindsTheSimulatedCameras() throws Exception {
        WsDiscoveryClient client = new WsDiscoveryClient(group, WsDiscoveryClient.loopback(), discoveryPort);
        List<DiscoveredDevice> found = client.probe(AddressRange.parse("127.0.0.1-127.0.0.1"), Duration.ofMillis(700));
        assertThat(found).extracting(DiscoveredDevice::endpointReference)
                .containsExactlyInAnyOrderElementsOf(CAMERAS.stream().map(OnvifSimulator::endpointReference).toList());
    }

    @Test
    void streamsPointAtTheRtspUrlsGivenToTheSimulator() throws Exception {
        OnvifCameraDriver d = driver("cam-1", GOOD);
        assertThat(d.deviceInformation().serialNumber()).isEqualTo("SIM-cam-1");
        CameraStreams s = d.streams();
        assertThat(s.main().width()).isEqualTo(1280);
        assertThat(s.main().height()).isEqualTo(720);
        assertThat(s.main().streamUri()).isEqualTo(URI.create("rtsp://127.0.0.1:8554/cam-1"));
        assertThat(s.sub().width()).isEqualTo(640);
        assertThat(s.sub().streamUri()).isEqualTo(URI.create("rtsp://127.0.0.1:8554/cam-1-sub"));
        assertThat(driver("cam-2", GOOD).streams().main().streamUri())
                .isEqualTo(URI.create("rtsp://127.0.0.1:8554/cam-2"));
    }

    @Test
    void clockOffsetIsLearntAndUsed() throws Exception {
        SoapClient soap = new SoapClient(SoapClient.newHttpClient(Duration.ofSeconds(2)), GOOD,
                InstantSource.system(), Duration.ofSeconds(2));
        OnvifCameraDriver d = new OnvifCameraDriver("cam-1", URI.create(simulator.camera("cam-1").deviceServiceUrl()),
                soap);
        // the camera runs 7 minutes late: a token stamped with our clock is refused
        CameraDriverException refused = catchThrowableOfType(CameraDriverException.class, d::deviceInformation);
        assertThat(refused.kind()).isEqualTo(Kind.AUTHENTICATION);
        Duration offset = d.synchronizeClock();
        assertThat(offset.toMillis()).isCloseTo(Duration.ofMinutes(-7).toMillis(), within(2000L));
        assertThat(d.deviceInformation().manufacturer()).isEqualTo("Vigie");
    }

    @Test
    void wrongPasswordIsAuthenticationNotTimeout() throws Exception {
        OnvifCameraDriver d = driver("cam-2", new Credentials(GOOD.username(), "guess"));
        CameraDriverException e = catchThrowableOfType(CameraDriverException.class, d::profiles);
        assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("NotAuthorized");
    }

    /** Issue 14: privacy masks the camera burns into its own video, through ONVIF Media2. */
    @Test
    void privacyMasksAreCreatedListedAndDeletedOnTheCameraInItsCoordinates() throws Exception {
        OnvifCameraDriver d = driver("cam-2", GOOD);
        SimulatedOnvifCamera sim = simulator.camera("cam-2");
        OnvifMasks masks = d.privacyMasks().orElseThrow();
        OnvifMasks.Options o = masks.options("vsc0");
        assertThat(o.maxMasks()).isEqualTo(8);
        assertThat(o.maxPoints()).isEqualTo(16);
        assertThat(o.types()).contains("Color");

        String token = masks.create("vsc0", List.of(new double[] {0, 0}, new double[] {0.5, 0},
                new double[] {0.5, 0.5}, new double[] {0, 0.5}));
        assertThat(sim.privacyMaskCount()).isEqualTo(1);
        // ONVIF's normalised coordinates: x -1..1 left to right, y 1..-1 top to bottom
        List<double[]> onCamera = sim.privacyMaskPolygons().get(0);
        assertThat(onCamera.get(0)).containsExactly(-1.0, 1.0);
        assertThat(onCamera.get(2)).containsExactly(0.0, 0.0);
        List<OnvifMasks.CameraMask> listed = masks.masks("vsc0");
        assertThat(listed).extracting(OnvifMasks.CameraMask::token).containsExactly(token);
        assertThat(listed.get(0).polygon().get(1)).containsExactly(0.5, 0.0);

        CameraDriverException tooFew = catchThrowableOfType(CameraDriverException.class, () -> masks.create("vsc0",
                List.of(new double[] {0, 0}, new double[] {1, 1})));
        assertThat(tooFew.kind()).isEqualTo(Kind.SOAP_FAULT);
        masks.delete(token);
        assertThat(sim.privacyMaskCount()).isZero();
    }

    @Test
    void ptzMovesTheSimulatorsReportedPosition() throws Exception {
        OnvifCameraDriver d = driver("cam-3", GOOD);
        SimulatedOnvifCamera sim = simulator.camera("cam-3");
        OnvifPtz ptz = d.ptz();
        assertThat(ptz.capabilities().any()).isTrue();

        ptz.absoluteMove("main", new PtzPosition(0.5, -0.25, 0.3));
        assertThat(sim.ptzPosition()).containsExactly(new double[] {0.5, -0.25, 0.3}, within(1e-6));
        assertThat(ptz.status("main")).isEqualTo(new PtzStatus(new PtzPosition(0.5, -0.25, 0.3), false));

        ptz.relativeMove("main", new PtzPosition(-0.1, 0.05, 0.0));
        assertThat(sim.ptzPosition()).containsExactly(new double[] {0.4, -0.2, 0.3}, within(1e-6));

        String token = ptz.setPreset("main", "Fontaine");
        ptz.continuousMove("main", new PtzPosition(1, 0, 0), Optional.empty());
        assertThat(ptz.status("main").moving()).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (sim.ptzPosition()[0] < 0.45 && System.nanoTime() < deadline) {
            Thread.sleep(20); // a real head moves in real time
        }
        ptz.stop("main");
        double stoppedAt = sim.ptzPosition()[0];
        assertThat(stoppedAt).isGreaterThan(0.45);
        assertThat(ptz.status("main").moving()).isFalse();

        assertThat(ptz.presets("main")).extracting(Preset::token, Preset::name).contains(
                org.assertj.core.groups.Tuple.tuple(token, "Fontaine"));
        ptz.gotoPreset("main", token);
        assertThat(sim.ptzPosition()).containsExactly(new double[] {0.4, -0.2, 0.3}, within(1e-6));
        CameraDriverException bad = catchThrowableOfType(CameraDriverException.class, () -> ptz.gotoPreset("main", "nope"));
        assertThat(bad.kind()).isEqualTo(Kind.SOAP_FAULT);
    }

    @Test
    void raisedMotionArrivesWithinTwoSeconds() throws Exception {
        OnvifCameraDriver d = driver("cam-1", GOOD);
        BlockingQueue<CameraEvent> events = new LinkedBlockingQueue<>();
        SimulatedOnvifCamera sim = simulator.camera("cam-1");
        long unsubscribedBefore = sim.unsubscribes();
        try (PullPointSubscription s = d.subscribe(events::add, executor, PullPointSubscription.Settings.defaults())) {
            awaitSubscription(s);
            long raised = System.nanoTime();
            sim.raiseMotion(true);
            CameraEvent e = events.poll(2, TimeUnit.SECONDS);
            long latencyMs = (System.nanoTime() - raised) / 1_000_000;
            assertThat(e).as("motion event within 2 s").isNotNull();
            assertThat(e.type()).isEqualTo(CameraEvent.Type.MOTION);
            assertThat(e.topic()).isEqualTo("RuleEngine/CellMotionDetector/Motion");
            assertThat(e.active()).isTrue();
            assertThat(e.cameraId()).isEqualTo("cam-1");
            System.out.println("motion event latency: " + latencyMs + " ms");

            sim.raiseTamper(true);
            CameraEvent t = events.poll(2, TimeUnit.SECONDS);
            assertThat(t).isNotNull();
            assertThat(t.type()).isEqualTo(CameraEvent.Type.TAMPER);
            sim.raiseMotion(false);
            assertThat(events.poll(2, TimeUnit.SECONDS).active()).isFalse();
        }
        assertThat(sim.unsubscribes()).isEqualTo(unsubscribedBefore + 1);
    }

    @Test
    void pullPointRenewalSurvivesARunLongerThanTheTerminationTime() throws Exception {
        OnvifCameraDriver d = driver("cam-2", GOOD);
        SimulatedOnvifCamera sim = simulator.camera("cam-2");
        BlockingQueue<CameraEvent> events = new LinkedBlockingQueue<>();
        BlockingQueue<CameraDriverException> losses = new LinkedBlockingQueue<>();
        PullPointSubscription.Settings threeSeconds = new PullPointSubscription.Settings(Duration.ofSeconds(3),
                Duration.ofSeconds(10), 100, Duration.ofMillis(200), Duration.ofSeconds(2));
        long createdBefore = sim.subscriptionsCreated();
        try (PullPointSubscription s = d.subscribe(new org.vigie.camera.CameraEventListener() {
            @Override
            public void onEvent(CameraEvent event) {
                events.add(event);
            }

            @Override
            public void onSubscriptionLost(CameraDriverException cause, long retryInMillis) {
                losses.add(cause);
            }
        }, executor, threeSeconds)) {
            awaitSubscription(s);
            long subscribed = System.nanoTime();
            // the subject is wall-clock expiry on the simulated camera: wait for the renewals, however slow the
            // machine, and for more than the 3 s termination time to have passed
            long deadline = subscribed + TimeUnit.SECONDS.toNanos(60);
            while ((s.renewals() < 4 || System.nanoTime() - subscribed < TimeUnit.SECONDS.toNanos(4))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(s.renewals()).as("renewals").isGreaterThanOrEqualTo(4);
            sim.raiseMotion(true);
            assertThat(events.poll(2, TimeUnit.SECONDS)).as("event after 4 renewals of a 3 s subscription").isNotNull();
            assertThat(losses).as("no subscription lost").isEmpty();
            assertThat(s.subscriptionsCreated()).isEqualTo(1);
            assertThat(sim.subscriptionsCreated()).isEqualTo(createdBefore + 1);
            assertThat(s.renewals()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void subscriptionIsRecreatedAfterTheCameraLosesIt() throws Exception {
        OnvifCameraDriver d = driver("cam-3", GOOD);
        SimulatedOnvifCamera sim = simulator.camera("cam-3");
        BlockingQueue<CameraEvent> events = new LinkedBlockingQueue<>();
        BlockingQueue<CameraDriverException> losses = new LinkedBlockingQueue<>();
        PullPointSubscription.Settings settings = new PullPointSubscription.Settings(Duration.ofSeconds(60),
                Duration.ofSeconds(1), 100, Duration.ofMillis(100), Duration.ofSeconds(1));
        try (PullPointSubscription s = d.subscribe(new org.vigie.camera.CameraEventListener() {
            @Override
            public void onEvent(CameraEvent event) {
                events.add(event);
            }

            @Override
            public void onSubscriptionLost(CameraDriverException cause, long retryInMillis) {
                losses.add(cause);
            }
        }, executor, settings)) {
            awaitSubscription(s);
            sim.dropSubscriptions(); // a camera reboot forgets its subscriptions
            CameraDriverException lost = losses.poll(3, TimeUnit.SECONDS);
            assertThat(lost).isNotNull();
            assertThat(lost.kind()).isEqualTo(Kind.SOAP_FAULT);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (s.subscriptionsCreated() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(s.subscriptionsCreated()).isEqualTo(2);
            sim.raiseMotion(true);
            assertThat(events.poll(2, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void snapshotIsAJpegFetchedWithHttpDigest() throws Exception {
        byte[] jpeg = driver("cam-1", GOOD).snapshot("main");
        assertThat(jpeg.length).isGreaterThan(100);
        assertThat(jpeg[0] & 0xff).isEqualTo(0xFF);
        assertThat(jpeg[1] & 0xff).isEqualTo(0xD8);
        // the snapshot URI itself refuses a wrong password (HTTP Digest), whatever the SOAP side says
        URI snapshotUri = URI.create(simulator.camera("cam-1").deviceServiceUrl().replace("device_service",
                "snapshot.jpg"));
        SoapClient wrong = driver("cam-1", new Credentials(GOOD.username(), "x")).soap();
        CameraDriverException e = catchThrowableOfType(CameraDriverException.class,
                () -> SoapClient.await(wrong.getAsync(snapshotUri, 1 << 20)));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
    }

    private static void awaitSubscription(PullPointSubscription s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (s.subscriptionsCreated() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(s.subscriptionsCreated()).as("subscribed").isEqualTo(1);
    }
}
