package org.vigie.camera.onvif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.CameraEvent;
import org.vigie.camera.CameraEvent.Type;
import org.vigie.camera.CameraStreams;
import org.vigie.camera.Credentials;
import org.vigie.camera.DeviceInfo;
import org.vigie.camera.Preset;
import org.vigie.camera.PtzCapabilities;
import org.vigie.camera.PtzPosition;
import org.vigie.camera.PtzStatus;

/**
 * Replays captured-shaped answers of several camera families (fixtures under {@code camera/<vendor>/}) through
 * the driver: every vendor binds the ONVIF namespaces differently, omits different optional fields and announces
 * different PTZ spaces and event topics. One named case per vendor and operation.
 */
class VendorFixtureTest {

    private static final Instant LOCAL_NOW = Instant.parse("2024-03-14T09:30:00Z");

    private static OnvifCameraDriver driver(FixtureCamera camera) {
        SoapClient soap = new SoapClient(SoapClient.newHttpClient(Duration.ofSeconds(2)),
                new Credentials("admin", "Secret-123"), InstantSource.fixed(LOCAL_NOW), Duration.ofSeconds(3));
        return new OnvifCameraDriver("cam-1", camera.deviceService(), soap);
    }

    static Stream<Arguments> clocks() {
        return Stream.of(
                arguments(named("hikvision UTCDateTime", "hikvision"), Duration.ofSeconds(5)),
                arguments(named("axis NTP, previous year", "axis"), Duration.between(LOCAL_NOW,
                        Instant.parse("2023-12-31T23:59:58Z"))),
                arguments(named("dahua LocalDateTime only, TZ CST-8", "dahua"), Duration.ofSeconds(5)),
                arguments(named("hanwha default namespaces", "hanwha"), Duration.ofSeconds(5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clocks")
    void clockOffsetIsCameraMinusLocal(String vendor, Duration expected) throws Exception {
        try (FixtureCamera camera = new FixtureCamera(vendor)) {
            OnvifCameraDriver driver = driver(camera);
            assertThat(driver.synchronizeClock()).isEqualTo(expected);
            assertThat(driver.soap().clockOffset()).isEqualTo(expected);
            driver.deviceInformation();
            // the UsernameToken of the next request is stamped with the camera's clock, not ours
            String created = LOCAL_NOW.plus(expected).toString();
            assertThat(camera.requests.get(1)).contains("<wsu:Created>" + created + "</wsu:Created>");
            assertThat(camera.requests.get(0)).doesNotContain("UsernameToken");
        }
    }

    static Stream<Arguments> deviceInformation() {
        return Stream.of(
                arguments(named("hikvision", "hikvision"), new DeviceInfo("HIKVISION", "DS-2DE4425IW-DE",
                        "V5.6.15 build 200722", "DS-2DE4425IW-DE20200101AAWRE12345678", "88")),
                arguments(named("axis", "axis"), new DeviceInfo("AXIS", "P1455-LE", "10.12.165", "B8A44F3A1B2C", "7A1")),
                arguments(named("dahua", "dahua"), new DeviceInfo("Dahua", "SD49225XA-HNR",
                        "2.800.0000000.14.R, Build Date 2021-08-20", "6J0A1B2PAZ12345", "1.00")),
                arguments(named("hanwha", "hanwha"), new DeviceInfo("Hanwha Vision", "XNP-6400RW",
                        "2.21.02_20230518_R", "ZN7R70GR600123X", "XNP-6400RW")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void deviceInformation(String vendor, DeviceInfo expected) throws Exception {
        try (FixtureCamera camera = new FixtureCamera(vendor)) {
            assertThat(driver(camera).deviceInformation()).isEqualTo(expected);
            assertThat(camera.requests.get(0)).contains("PasswordDigest").contains("<wsse:Username>admin<");
        }
    }

    static Stream<Arguments> streams() {
        return Stream.of(
                arguments(named("hikvision: 3 H264 profiles", "hikvision"), "Profile_1", 2560, "Profile_2", 704,
                        "rtsp://192.168.1.64:554/Streaming/Channels/101?transportmode=unicast&profile=Profile_1"),
                arguments(named("axis: JPEG profile as large as the H264 one, audio-only profile", "axis"),
                        "profile_1_h264", 1920, "profile_2_h264", 480,
                        "rtsp://192.168.0.90/onvif-media/media.amp?profile=profile_1_h264&sessiontimeout=60&streamtype=unicast"),
                arguments(named("dahua", "dahua"), "MediaProfile000", 2688, "MediaProfile001", 704,
                        "rtsp://192.168.1.108:554/cam/realmonitor?channel=1&subtype=0&unicast=true&proto=Onvif"),
                arguments(named("hanwha: MJPEG profile skipped, media found through GetServices", "hanwha"),
                        "H.264", 2560, "MOBILE", 640, "rtsp://192.168.1.100/profile2/media.smp"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void streams(String vendor, String mainToken, int mainWidth, String subToken, int subWidth, String uri)
            throws Exception {
        try (FixtureCamera camera = new FixtureCamera(vendor)) {
            CameraStreams s = driver(camera).streams();
            assertThat(s.main().token()).isEqualTo(mainToken);
            assertThat(s.main().width()).isEqualTo(mainWidth);
            assertThat(s.sub().token()).isEqualTo(subToken);
            assertThat(s.sub().width()).isEqualTo(subWidth);
            // the captured camera announced its private address: the URI is moved onto the host we reach it at
            assertThat(s.main().streamUri()).isEqualTo(URI.create(uri.replaceFirst("//192\\.168\\.[0-9.]+", "//127.0.0.1")));
            // service addresses announced with the camera's private IP were re-based onto the reachable host
            assertThat(camera.requests).anyMatch(r -> r.contains("GetProfiles"));
        }
    }

    @Test
    void serviceAddressesAreRebasedOntoTheReachableHost() throws Exception {
        try (FixtureCamera camera = new FixtureCamera("hikvision")) {
            ServiceAddresses s = driver(camera).services();
            URI base = camera.deviceService();
            assertThat(s.media()).isEqualTo(base.resolve("/onvif/Media"));
            assertThat(s.ptz()).isEqualTo(base.resolve("/onvif/PTZ"));
            assertThat(s.events()).isEqualTo(base.resolve("/onvif/Events"));
        }
    }

    @Test
    void hanwhaFallsBackToGetServicesWhenGetCapabilitiesIsRefused() throws Exception {
        try (FixtureCamera camera = new FixtureCamera("hanwha")) {
            ServiceAddresses s = driver(camera).services();
            assertThat(s.ptz()).isEqualTo(camera.deviceService().resolve("/onvif/ptz_service"));
            assertThat(s.events()).isEqualTo(camera.deviceService().resolve("/onvif/event_service"));
            assertThat(camera.requests).hasSize(2);
            assertThat(camera.requests.get(1)).contains("GetServices");
        }
    }

    static Stream<Arguments> ptzCapabilities() {
        String pt = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/";
        return Stream.of(
                arguments(named("hikvision: all spaces, speed space too", "hikvision"),
                        new PtzCapabilities(true, true, true, 300, true, List.of(pt + "PositionGenericSpace",
                                "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace",
                                pt + "TranslationGenericSpace", pt + "VelocityGenericSpace",
                                "http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace",
                                pt + "GenericSpeedSpace"))),
                arguments(named("dahua: no relative move", "dahua"), new PtzCapabilities(true, true, false, 255, false,
                        List.of(pt + "PositionGenericSpace", pt + "VelocityGenericSpace"))),
                arguments(named("hanwha: default namespaces", "hanwha"), new PtzCapabilities(true, true, true, 300, true,
                        List.of(pt + "PositionGenericSpace", pt + "TranslationGenericSpace", pt + "VelocityGenericSpace"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void ptzCapabilities(String vendor, PtzCapabilities expected) throws Exception {
        try (FixtureCamera camera = new FixtureCamera(vendor)) {
            assertThat(driver(camera).ptz().capabilities()).isEqualTo(expected);
        }
    }

    @Test
    void axisFixedCameraHasNoPtz() throws Exception {
        try (FixtureCamera camera = new FixtureCamera("axis")) {
            assertThatThrownBy(() -> driver(camera).ptz()).isInstanceOf(CameraDriverException.class)
                    .extracting(e -> ((CameraDriverException) e).kind()).isEqualTo(CameraDriverException.Kind.UNSUPPORTED);
        }
    }

    static Stream<Arguments> presets() {
        return Stream.of(
                arguments(named("hikvision: second preset without position", "hikvision"), List.of(
                        new Preset("1", "Place Bellecour", Optional.of(new PtzPosition(0.25, -0.5, 0.1))),
                        new Preset("2", "preset 2", Optional.empty()))),
                arguments(named("hanwha: default namespaces", "hanwha"), List.of(
                        new Preset("1", "Entree Mairie", Optional.empty()),
                        new Preset("2", "Parvis", Optional.of(new PtzPosition(-0.75, 0.2, 0.5))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void presets(String vendor, List<Preset> expected) throws Exception {
        try (FixtureCamera camera = new FixtureCamera(vendor)) {
            assertThat(driver(camera).ptz().presets("p")).isEqualTo(expected);
        }
    }

    static Stream<Arguments> ptzStatus() {
        return Stream.of(
                arguments(named("hikvision idle", "hikvision"), new PtzStatus(new PtzPosition(-0.335, 0.8, 0), false)),
                arguments(named("dahua moving", "dahua"), new PtzStatus(new PtzPosition(0.5, 0.1, 0.25), true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void ptzStatus(String vendor, PtzStatus expected) throws Exception {
        try (FixtureCamera camera = new FixtureCamera(vendor)) {
            assertThat(driver(camera).ptz().status("p")).isEqualTo(expected);
        }
    }

    record ExpectedEvent(String topic, Type type, boolean active, String time, String source) {
    }

    static Stream<Arguments> events() {
        return Stream.of(
                arguments(named("hikvision: cell motion + tamper detector", "hikvision"), List.of(
                        new ExpectedEvent("RuleEngine/CellMotionDetector/Motion", Type.MOTION, true,
                                "2024-03-14T09:30:09Z", "VideoSourceConfigurationToken=VideoSourceToken;"
                                + "VideoAnalyticsConfigurationToken=VideoAnalyticsToken;Rule=MyMotionDetectorRule"),
                        new ExpectedEvent("RuleEngine/TamperDetector/Tamper", Type.TAMPER, false,
                                "2024-03-14T09:30:09Z", "VideoSourceConfigurationToken=VideoSourceToken;"
                                + "VideoAnalyticsConfigurationToken=VideoAnalyticsToken;Rule=MyTamperDetectorRule"))),
                arguments(named("axis: MotionAlarm state 1, vendor VMD topic, microseconds", "axis"), List.of(
                        new ExpectedEvent("VideoSource/MotionAlarm", Type.MOTION, true,
                                "2023-12-31T23:59:58.123456Z", "Source=0"),
                        new ExpectedEvent("CameraApplicationPlatform/VMD/Camera1Profile1", Type.OTHER, false,
                                "2023-12-31T23:59:58Z", ""))),
                arguments(named("dahua: MotionAlarm + tamper with +08:00 time", "dahua"), List.of(
                        new ExpectedEvent("VideoSource/MotionAlarm", Type.MOTION, true, "2024-03-14T09:30:09Z",
                                "Source=000"),
                        new ExpectedEvent("RuleEngine/TamperDetector/Tamper", Type.TAMPER, true,
                                "2024-03-14T09:30:09Z", "VideoSourceConfigurationToken=00000;Rule=TamperDetect"))),
                arguments(named("hanwha: global scene change, default namespace", "hanwha"), List.of(
                        new ExpectedEvent("VideoSource/GlobalSceneChange/ImagingService", Type.TAMPER, true,
                                "2024-03-14T09:30:08.500Z", "Source=VideoSourceToken-1"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void events(String vendor, List<ExpectedEvent> expected) throws Exception {
        byte[] xml;
        try (InputStream in = getClass().getResourceAsStream("/camera/" + vendor + "/PullMessages.xml")) {
            xml = in.readAllBytes();
        }
        var body = SecureXml.child(SecureXml.parse(xml).getDocumentElement(), "Body").orElseThrow();
        List<CameraEvent> events = NotificationParser.parse("cam-7", SecureXml.firstChild(body).orElseThrow(),
                Instant.EPOCH);
        assertThat(events).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            ExpectedEvent e = expected.get(i);
            CameraEvent got = events.get(i);
            assertThat(got.cameraId()).isEqualTo("cam-7");
            assertThat(got.topic()).isEqualTo(e.topic());
            assertThat(got.type()).isEqualTo(e.type());
            assertThat(got.active()).isEqualTo(e.active());
            assertThat(got.utcTime()).isEqualTo(Instant.parse(e.time()));
            assertThat(got.source()).isEqualTo(e.source());
            assertThat(got.rawData()).contains("SimpleItem").contains("UtcTime");
        }
    }

    @Test
    void hikvisionSnapshotUri() throws Exception {
        try (FixtureCamera camera = new FixtureCamera("hikvision")) {
            assertThat(driver(camera).snapshotUri("Profile_1"))
                    .isEqualTo(URI.create("http://127.0.0.1:" + camera.deviceService().getPort()
                            + "/onvif-http/snapshot?Profile_1"));
        }
    }
}
