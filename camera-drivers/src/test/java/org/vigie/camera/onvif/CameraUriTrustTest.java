package org.vigie.camera.onvif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.Credentials;

/**
 * Security review (Medium): stream and snapshot URIs announced by a camera were trusted as they came, so a spoofed
 * or compromised camera could make the server connect to any host, and, Basic over plain HTTP being answered, hand
 * it the camera's password. Now they are moved onto the camera's host, and Basic over plain HTTP is answered only
 * where the camera's configuration allows it.
 */
class CameraUriTrustTest {

    static final Credentials CAMERA = new Credentials("root", "s3cret-camera");
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0, (byte) 0xFF, (byte) 0xD9};

    HttpServer camera;
    HttpServer elsewhere;
    final List<String> cameraAuthorizations = new CopyOnWriteArrayList<>();
    final List<String> elsewhereRequests = new CopyOnWriteArrayList<>();
    volatile String announcedSnapshot;

    @BeforeEach
    void start() throws IOException {
        camera = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        camera.createContext("/onvif/", this::soap);
        camera.createContext("/snap.jpg", this::snapshot);
        camera.start();
        elsewhere = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 16);
        elsewhere.createContext("/", x -> {
            elsewhereRequests.add(x.getRequestURI() + " " + x.getRequestHeaders().getFirst("Authorization"));
            snapshot(x);
        });
        elsewhere.start();
    }

    @AfterEach
    void stop() {
        camera.stop(0);
        elsewhere.stop(0);
    }

    URI device() {
        return URI.create("http://127.0.0.1:" + camera.getAddress().getPort() + "/onvif/device_service");
    }

    OnvifCameraDriver driver(boolean basicOverHttp) {
        return new OnvifDrivers(SoapClient.newHttpClient(Duration.ofSeconds(2)), InstantSource.system(),
                Duration.ofSeconds(3)).driver("cam-1", device(), CAMERA, basicOverHttp);
    }

    private void soap(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String answer;
        if (body.contains("GetCapabilities")) {
            answer = "<tds:GetCapabilitiesResponse xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\""
                    + " xmlns:tt=\"http://www.onvif.org/ver10/schema\"><tds:Capabilities><tt:Media><tt:XAddr>"
                    + "http://10.66.0.1/onvif/media</tt:XAddr></tt:Media></tds:Capabilities>"
                    + "</tds:GetCapabilitiesResponse>";
        } else if (body.contains("GetSnapshotUri")) {
            answer = media("GetSnapshotUriResponse", announcedSnapshot);
        } else if (body.contains("GetStreamUri")) {
            answer = media("GetStreamUriResponse", "rtsp://user:pw@127.0.0.2:8554/live?profile=1");
        } else {
            answer = "";
        }
        byte[] b = ("<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\">"
                + "<s:Body>" + answer + "</s:Body></s:Envelope>").getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/soap+xml");
        x.sendResponseHeaders(200, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    private static String media(String element, String uri) {
        return "<trt:" + element + " xmlns:trt=\"http://www.onvif.org/ver10/media/wsdl\""
                + " xmlns:tt=\"http://www.onvif.org/ver10/schema\"><trt:MediaUri><tt:Uri>" + uri
                + "</tt:Uri></trt:MediaUri></trt:" + element + ">";
    }

    /** A snapshot behind HTTP Basic, as many cameras have it. */
    private void snapshot(HttpExchange x) throws IOException {
        String auth = x.getRequestHeaders().getFirst("Authorization");
        if (x.getLocalAddress().getAddress().getHostAddress().equals("127.0.0.1")) {
            cameraAuthorizations.add(String.valueOf(auth));
        }
        String expected = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (CAMERA.username() + ":" + CAMERA.password()).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(auth)) {
            x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"camera\"");
            x.sendResponseHeaders(401, -1);
            x.close();
            return;
        }
        x.sendResponseHeaders(200, JPEG.length);
        x.getResponseBody().write(JPEG);
        x.close();
    }

    @Test
    void snapshotAndStreamUrisOnAnotherHostAreMovedOntoTheCamerasHost() throws Exception {
        int port = camera.getAddress().getPort();
        announcedSnapshot = "http://127.0.0.2:" + elsewhere.getAddress().getPort() + "/snap.jpg?p=1";
        OnvifCameraDriver d = driver(true);

        assertThat(d.snapshotUri("p")).as("like the service addresses: the device service's scheme, host, port")
                .isEqualTo(URI.create("http://127.0.0.1:" + port + "/snap.jpg?p=1"));
        assertThat(d.streamUri("p")).as("user information dropped, host the camera's")
                .isEqualTo(URI.create("rtsp://127.0.0.1:8554/live?profile=1"));

        assertThat(d.snapshot("p")).isEqualTo(JPEG);
        assertThat(elsewhereRequests).as("nothing, and no password, sent to another host").isEmpty();

        announcedSnapshot = "file:///etc/passwd";
        assertThatThrownBy(() -> d.snapshotUri("p")).isInstanceOf(CameraDriverException.class)
                .hasMessageContaining("must be http or https");
    }

    @Test
    void basicOverPlainHttpOnlyWhereTheCameraConfigurationAllowsIt() throws Exception {
        announcedSnapshot = "http://127.0.0.1:" + camera.getAddress().getPort() + "/snap.jpg";

        assertThatThrownBy(() -> driver(false).snapshot("p")).isInstanceOf(CameraDriverException.class)
                .hasMessageContaining("HTTP 401");
        assertThat(cameraAuthorizations).as("the password never sent in clear").allSatisfy(a ->
                assertThat(a).doesNotStartWith("Basic"));

        assertThat(driver(true).snapshot("p")).isEqualTo(JPEG);
    }
}
