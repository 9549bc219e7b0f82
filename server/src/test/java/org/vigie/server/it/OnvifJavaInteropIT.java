package org.vigie.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.antmedia.ipcamera.onvif.soap.OnvifDevice;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onvif.ver10.device.wsdl.GetDeviceInformationResponse;
import org.onvif.ver10.schema.Profile;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.server.VmsServer;
import org.vigie.server.config.VmsConfig;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.simulator.onvif.OnvifSimulator;
import org.vigie.simulator.onvif.SimulatedCameraInfo;
import org.vigie.simulator.onvif.SimulatedOnvifCamera;
import org.vigie.testing.Await;
import org.vigie.testing.Ffprobe;

/**
 * Issue #3 acceptance, read by a client the project did not write: onvif-java
 * ({@code io.antmedia.ipcamera.onvif:ONVIF}, test scope only) connects to the ONVIF face of the simulator at its
 * fixed {@code /onvif/device_service} path (the port's default device, the first camera), follows the XAddrs of
 * GetCapabilities, and reads the device information, the profiles, the main profile's RTSP URI and the snapshot
 * URI. Those must be the simulator's real stream and snapshot: the URIs equal the simulator's, the snapshot is a
 * JPEG, and a server configured with nothing but the URI read by onvif-java records it (ffprobe checks the
 * segments). Everything listens on 127.0.0.1; the ONVIF face runs without WS-Discovery and without credentials
 * (onvif-java stamps its UsernameToken with the local clock in a "yyyy-MM-d" pattern, see camera-drivers/pom.xml).
 */
class OnvifJavaInteropIT {

    @TempDir
    Path storage;

    @Test
    void profilesStreamAndSnapshotUrisReadByOnvifJavaPointAtTheSimulatorAndRecord() throws Exception {
        try (CameraSimulator rtsp = CameraSimulator.start(0, 2, SimulatorOptions.defaults());
             OnvifSimulator onvif = OnvifSimulator.start(new OnvifSimulator.Options("127.0.0.1", 0, null, -1, null,
                     InstantSource.system(), Duration.ZERO, Duration.ofSeconds(60)), infos(rtsp))) {
            String first = rtsp.cameraIds().get(0);
            SimulatedOnvifCamera camera = onvif.camera(first);

            OnvifDevice device = new OnvifDevice("127.0.0.1:" + onvif.httpPort(), null, null);
            GetDeviceInformationResponse info = device.getDevices().getDeviceInformation();
            assertThat(info).as("GetDeviceInformation through onvif-java (null: it swallowed a fault)").isNotNull();
            assertThat(info.getManufacturer()).isEqualTo("Vigie");
            assertThat(info.getSerialNumber()).as("the default device is the first camera").isEqualTo("SIM-" + first);

            List<Profile> profiles = device.getDevices().getProfiles();
            assertThat(profiles).as("GetProfiles through onvif-java").isNotNull();
            Map<String, Profile> byToken = profiles.stream().collect(Collectors.toMap(Profile::getToken, Function.identity()));
            assertThat(byToken).containsOnlyKeys("main", "sub");
            assertThat(resolution(byToken.get("main"))).isEqualTo("1280x720");
            assertThat(resolution(byToken.get("sub"))).isEqualTo("640x360");

            String streamUri = device.getMedia().getRTSPStreamUri("main");
            assertThat(streamUri).as("main profile's RTSP URI").isEqualTo(rtsp.url(first).toString());
            String snapshotUri = device.getMedia().getSnapshotUri("main");
            assertThat(snapshotUri).isEqualTo(camera.snapshotUrl());
            HttpResponse<byte[]> jpeg = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(URI.create(snapshotUri)).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertThat(jpeg.statusCode()).isEqualTo(200);
            assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(jpeg.body()).as("JPEG SOI marker").startsWith((byte) 0xFF, (byte) 0xD8, (byte) 0xFF);

            records(streamUri);
        }
    }

    /** A server given only the URI onvif-java read records it: a fragment within 30 s, segments ffprobe reads. */
    private void records(String streamUri) throws Exception {
        VmsConfig config = VmsConfig.parse("""
                server: { bind-address: 127.0.0.1, http-port: 0, rtsp-port: 0 }
                storage: { path: '%s', segment-duration: 10s }
                cameras:
                  - { id: via-onvif-java, url: '%s' }
                """.formatted(storage, streamUri));
        StreamKey key = StreamKey.main("via-onvif-java");
        VmsServer server = VmsServer.start(config, InstantSource.system());
        try {
            Await.until("a recorded fragment of " + streamUri, Duration.ofSeconds(30),
                    () -> server.recorder().catalog().segments(key).stream().anyMatch(s -> s.fragmentCount() >= 1),
                    () -> server.cameras().list().stream().map(c -> c.id() + "=" + c.mainStatus()).toList().toString());
        } finally {
            server.close();
        }
        List<SegmentInfo> segments = new ArrayList<>(Catalog.load(storage).segments(key));
        assertThat(segments).isNotEmpty();
        for (SegmentInfo s : segments) {
            Ffprobe.Probe p = Ffprobe.probe(s.segment());
            assertThat(p.codec()).as("codec of %s", s.segment()).isEqualTo("h264");
            assertThat(p.width() + "x" + p.height()).as("size of %s", s.segment()).isEqualTo("1280x720");
            assertThat(p.firstFrameKey()).as("%s starts with a key frame", s.segment()).isTrue();
            assertThat(p.frames()).as("frames of %s", s.segment()).isPositive();
        }
    }

    /** One simulated ONVIF camera per RTSP camera, as the launcher's OnvifFace does. */
    private static List<SimulatedCameraInfo> infos(CameraSimulator rtsp) {
        List<SimulatedCameraInfo> infos = new ArrayList<>();
        for (String id : rtsp.cameraIds()) {
            infos.add(new SimulatedCameraInfo(id, id, rtsp.url(id).toString()));
        }
        return infos;
    }

    private static String resolution(Profile p) {
        return p.getVideoEncoderConfiguration().getResolution().getWidth() + "x"
                + p.getVideoEncoderConfiguration().getResolution().getHeight();
    }
}
