package org.vigie.simulator.onvif;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator's SOAP face checked with hand-written requests (no driver code involved), on a clock the test
 * drives: authentication, profiles, subscription expiry, long poll woken by a raised event.
 */
class OnvifSimulatorTest {

    private static final SimulatorCredentials CREDENTIALS = new SimulatorCredentials("admin", "pw");
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-06-01T08:00:00Z"));
    private final InstantSource clock = now::get;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private OnvifSimulator simulator;

    @BeforeEach
    void start() throws Exception {
        OnvifSimulator.Options o = OnvifSimulator.Options.defaults("127.0.0.1", 0, CREDENTIALS);
        simulator = OnvifSimulator.start(new OnvifSimulator.Options(o.host(), 0, CREDENTIALS, -1, null, clock,
                Duration.ZERO, Duration.ofSeconds(60)), List.of(new SimulatedCameraInfo("c1", "Quai", "rtsp://127.0.0.1/c1")));
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private HttpResponse<String> post(String path, String security, String body) throws Exception {
        String env = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header>" + security
                + "</s:Header><s:Body>" + body + "</s:Body></s:Envelope>";
        URI uri = path.startsWith("http") ? URI.create(path)
                : URI.create("http://127.0.0.1:" + simulator.httpPort() + "/onvif/c1/" + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/soap+xml").POST(HttpRequest.BodyPublishers.ofString(env)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String token(String password, Instant created) throws Exception {
        byte[] nonce = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        String c = created.toString();
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(nonce);
        sha1.update(c.getBytes(StandardCharsets.UTF_8));
        sha1.update(password.getBytes(StandardCharsets.UTF_8));
        return "<Security xmlns=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd\">"
                + "<UsernameToken><Username>admin</Username><Password>" + Base64.getEncoder().encodeToString(sha1.digest())
                + "</Password><Nonce>" + Base64.getEncoder().encodeToString(nonce) + "</Nonce>"
                + "<Created xmlns=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd\">"
                + c + "</Created></UsernameToken></Security>";
    }

    private static final String TDS = " xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\"";
    private static final String TRT = " xmlns:trt=\"http://www.onvif.org/ver10/media/wsdl\"";
    private static final String TEV = " xmlns:tev=\"http://www.onvif.org/ver10/events/wsdl\"";

    @Test
    void dateAndTimeNeedsNoCredentialsButProfilesDo() throws Exception {
        HttpResponse<String> time = post("device_service", "", "<tds:GetSystemDateAndTime" + TDS + "/>");
        assertThat(time.statusCode()).isEqualTo(200);
        assertThat(time.body()).contains("<tt:Hour>8</tt:Hour>").contains("<tt:Year>2025</tt:Year>");

        HttpResponse<String> anonymous = post("media_service", "", "<trt:GetProfiles" + TRT + "/>");
        assertThat(anonymous.statusCode()).isEqualTo(400);
        assertThat(anonymous.body()).contains("ter:NotAuthorized");

        assertThat(post("media_service", token("wrong", now.get()), "<trt:GetProfiles" + TRT + "/>").body())
                .contains("ter:NotAuthorized");
        assertThat(post("media_service", token("pw", now.get().minusSeconds(120)), "<trt:GetProfiles" + TRT + "/>")
                .body()).as("stale Created").contains("ter:NotAuthorized");

        HttpResponse<String> profiles = post("media_service", token("pw", now.get()), "<trt:GetProfiles" + TRT + "/>");
        assertThat(profiles.statusCode()).isEqualTo(200);
        assertThat(profiles.body()).contains("token=\"main\"").contains("<tt:Width>1280</tt:Width>")
                .contains("token=\"sub\"").contains("<tt:Width>640</tt:Width>");
    }

    @Test
    void fixedDeviceServicePathAnswersAsTheFirstCameraAndLeadsToItsOwnServices() throws Exception {
        OnvifSimulator.Options o = new OnvifSimulator.Options("127.0.0.1", 0, CREDENTIALS, -1, null, clock,
                Duration.ZERO, Duration.ofSeconds(60));
        try (OnvifSimulator two = OnvifSimulator.start(o, List.of(new SimulatedCameraInfo("b2", "Quai", "rtsp://127.0.0.1/b2"),
                new SimulatedCameraInfo("a1", "Pont", "rtsp://127.0.0.1/a1")))) {
            String base = "http://127.0.0.1:" + two.httpPort() + "/onvif/";
            HttpResponse<String> info = post(base + "device_service", token("pw", now.get()),
                    "<tds:GetDeviceInformation" + TDS + "/>");
            assertThat(info.statusCode()).isEqualTo(200);
            assertThat(info.body()).as("the first camera given, not the first by name")
                    .contains("<tds:SerialNumber>SIM-b2</tds:SerialNumber>");
            assertThat(post(base + "device_service", "", "<tds:GetDeviceInformation" + TDS + "/>").body())
                    .as("the alias keeps the camera's authentication").contains("ter:NotAuthorized");
            HttpResponse<String> caps = post(base + "device_service", token("pw", now.get()),
                    "<tds:GetCapabilities" + TDS + "/>");
            assertThat(caps.body()).contains("<tt:XAddr>" + base + "b2/device_service</tt:XAddr>")
                    .contains("<tt:XAddr>" + base + "b2/media_service</tt:XAddr>");
            assertThat(post(base + "media_service", token("pw", now.get()), "<trt:GetProfiles" + TRT + "/>")
                    .statusCode()).as("only the device service is aliased").isEqualTo(404);
        }
        OnvifSimulator.Options o2 = new OnvifSimulator.Options("127.0.0.1", 0, null, -1, null, clock,
                Duration.ZERO, Duration.ofSeconds(60));
        try (OnvifSimulator none = OnvifSimulator.start(o2, List.of())) {
            assertThat(post("http://127.0.0.1:" + none.httpPort() + "/onvif/device_service", "",
                    "<tds:GetDeviceInformation" + TDS + "/>").statusCode()).as("no camera, no default device")
                    .isEqualTo(404);
        }
    }

    @Test
    void doctypeIsRefused() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.httpPort()
                        + "/onvif/c1/device_service")).POST(HttpRequest.BodyPublishers.ofString(
                        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("root:");
    }

    @Test
    void subscriptionExpiresAtItsTerminationTimeUnlessRenewed() throws Exception {
        String address = subscribe("PT10S");
        now.set(now.get().plusSeconds(8));
        HttpResponse<String> renewed = post(address, token("pw", now.get()),
                "<Renew xmlns=\"http://docs.oasis-open.org/wsn/b-2\"><TerminationTime>PT10S</TerminationTime></Renew>");
        assertThat(renewed.body()).contains("<wsnt:TerminationTime>2025-06-01T08:00:18Z<");
        now.set(now.get().plusSeconds(9)); // 17 s after creation, 9 s after renewal: alive
        assertThat(pull(address, "PT0S").statusCode()).isEqualTo(200);
        now.set(now.get().plusSeconds(2)); // 19 s: expired
        HttpResponse<String> expired = pull(address, "PT0S");
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(expired.body()).contains("ResourceUnknownFault");
        assertThat(simulator.camera("c1").subscriptionRenewals()).isEqualTo(1);
    }

    @Test
    void raisedEventWakesAWaitingLongPoll() throws Exception {
        String address = subscribe("PT60S");
        SimulatedOnvifCamera camera = simulator.camera("c1");
        var pending = http.sendAsync(HttpRequest.newBuilder(URI.create(address)).POST(HttpRequest.BodyPublishers.ofString(
                "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header>" + token("pw", now.get())
                        + "</s:Header><s:Body><tev:PullMessages" + TEV + "><tev:Timeout>PT30S</tev:Timeout>"
                        + "<tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages></s:Body></s:Envelope>")).build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (camera.waitingPulls() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10); // until the poll has reached the camera and waits there
        }
        assertThat(camera.waitingPulls()).as("PullMessages waiting at the camera").isEqualTo(1);
        assertThat(pending).as("the poll, before any event").isNotDone();
        camera.raiseMotion(true); // once, while the poll waits
        // answered by the event, well before its 30 s timeout would answer it empty
        HttpResponse<String> r = pending.get(20, TimeUnit.SECONDS);
        assertThat(r.body()).contains("tns1:RuleEngine/CellMotionDetector/Motion").contains("Name=\"IsMotion\" Value=\"true\"");
        assertThat(camera.waitingPulls()).isZero();
    }

    private String subscribe(String termination) throws Exception {
        HttpResponse<String> r = post("events_service", token("pw", now.get()), "<tev:CreatePullPointSubscription" + TEV
                + "><tev:InitialTerminationTime>" + termination + "</tev:InitialTerminationTime>"
                + "</tev:CreatePullPointSubscription>");
        assertThat(r.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("<wsa:Address>([^<]+)</wsa:Address>").matcher(r.body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> pull(String address, String timeout) throws Exception {
        return post(address, token("pw", now.get()), "<tev:PullMessages" + TEV + "><tev:Timeout>" + timeout
                + "</tev:Timeout><tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>");
    }
}
