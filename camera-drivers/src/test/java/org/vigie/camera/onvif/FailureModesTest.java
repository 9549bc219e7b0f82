package org.vigie.camera.onvif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.CameraDriverException.Kind;
import org.vigie.camera.Credentials;

/**
 * Hostile and broken devices: each failure must surface as a {@link CameraDriverException} of the right kind,
 * within the bounded time, and nothing may hang.
 */
class FailureModesTest {

    private static final Duration TIMEOUT = Duration.ofMillis(800);
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : resources) {
            c.close();
        }
    }

    private OnvifCameraDriver driver(URI device) {
        SoapClient soap = new SoapClient(SoapClient.newHttpClient(TIMEOUT), new Credentials("admin", "wrong"),
                InstantSource.system(), TIMEOUT);
        return new OnvifCameraDriver("cam-x", device, soap);
    }

    /** A device answering every request with this status, headers and body. */
    private URI device(int status, String body, String... headers) throws IOException {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            for (int i = 0; i + 1 < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            if (b.length > 0) {
                exchange.getResponseBody().write(b);
            }
            exchange.close();
        });
        server.start();
        resources.add(() -> server.stop(0));
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/onvif/device_service");
    }

    private static CameraDriverException failure(ThrowingCall call) {
        long start = System.nanoTime();
        CameraDriverException e = catchThrowableOfType(CameraDriverException.class, call::run);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(e).as("expected a CameraDriverException").isNotNull();
        assertThat(millis).as("failure must be bounded in time").isLessThan(TIMEOUT.toMillis() * 3 + 1000);
        return e;
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void closedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + port + "/onvif/device_service");
        assertThat(failure(() -> driver(uri).deviceInformation()).kind()).isEqualTo(Kind.UNREACHABLE);
    }

    @Test
    void http401WithDigestChallengeIsAuthenticationAfterOneRetry() throws Exception {
        URI uri = device(401, "", "WWW-Authenticate", "Digest realm=\"IP Camera\", qop=\"auth\", nonce=\"abc\"");
        CameraDriverException e = failure(() -> driver(uri).deviceInformation());
        assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("401");
    }

    @Test
    void notAuthorizedFaultIsAuthentication() throws Exception {
        URI uri = device(400, FixtureCamera.fault("ter:NotAuthorized", "Sender not Authorized"));
        assertThat(failure(() -> driver(uri).deviceInformation()).kind()).isEqualTo(Kind.AUTHENTICATION);
    }

    @Test
    void otherSoapFaultIsSoapFaultWithReason() throws Exception {
        URI uri = device(500, FixtureCamera.fault("ter:InvalidArgVal", "The requested profile token does not exist"));
        CameraDriverException e = failure(() -> driver(uri).deviceInformation());
        assertThat(e.kind()).isEqualTo(Kind.SOAP_FAULT);
        assertThat(e.getMessage()).contains("InvalidArgVal").contains("does not exist");
    }

    @Test
    void soap11FaultIsUnderstood() throws Exception {
        URI uri = device(500, "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode>"
                + "<faultstring>bad request</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>");
        CameraDriverException e = failure(() -> driver(uri).deviceInformation());
        assertThat(e.kind()).isEqualTo(Kind.SOAP_FAULT);
        assertThat(e.getMessage()).contains("bad request");
    }

    @Test
    void truncatedXmlIsMalformed() throws Exception {
        URI uri = device(200, "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><tds:GetDev");
        assertThat(failure(() -> driver(uri).deviceInformation()).kind()).isEqualTo(Kind.MALFORMED);
    }

    @Test
    void htmlLoginPageIsMalformed() throws Exception {
        URI uri = device(200, "<html><body>Please log in</body></html>");
        assertThat(failure(() -> driver(uri).deviceInformation()).kind()).isEqualTo(Kind.MALFORMED);
    }

    @Test
    void missingMandatoryElementIsMalformed() throws Exception {
        URI uri = device(200, "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>"
                + "<tds:GetSystemDateAndTimeResponse xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\"/></s:Body></s:Envelope>");
        assertThat(failure(() -> driver(uri).synchronizeClock()).kind()).isEqualTo(Kind.MALFORMED);
    }

    @Test
    void externalEntityIsRefusedAndTheFileNeverRead(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        URI uri = device(200, "<?xml version=\"1.0\"?><!DOCTYPE s:Envelope [<!ENTITY xxe SYSTEM \"" + secret.toUri()
                + "\">]><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>"
                + "<tds:GetDeviceInformationResponse xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\">"
                + "<tds:Manufacturer>&xxe;</tds:Manufacturer></tds:GetDeviceInformationResponse></s:Body></s:Envelope>");
        CameraDriverException e = failure(() -> driver(uri).deviceInformation());
        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(e.getMessage()).contains("DOCTYPE").doesNotContain("TOP-SECRET");
    }

    @Test
    void entityExpansionBombIsRefused() throws Exception {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE bomb [<!ENTITY a \"aaaaaaaaaa\">");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            dtd.append("<!ENTITY ").append(c).append(" \"").append(("&" + p + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        URI uri = device(200, "<?xml version=\"1.0\"?>" + dtd + "<bomb>&j;</bomb>");
        assertThat(failure(() -> driver(uri).deviceInformation()).kind()).isEqualTo(Kind.MALFORMED);
    }

    @Test
    void deviceThatNeverAnswersTimesOut() throws Exception {
        ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept()); // read nothing, answer nothing
                }
            } catch (IOException closed) {
                // test over
            }
        });
        acceptor.start();
        resources.add(() -> {
            silent.close();
            for (Socket s : accepted) {
                s.close();
            }
            acceptor.join(1000);
        });
        URI uri = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/onvif/device_service");
        assertThat(failure(() -> driver(uri).deviceInformation()).kind()).isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void deviceThatStallsInTheMiddleOfTheBodyTimesOut() throws Exception {
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        List<Socket> accepted = new ArrayList<>();
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Socket s = server.accept();
                    accepted.add(s);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: 10000\r\n\r\n"
                            + "<s:Envelope").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException closed) {
                // test over
            }
        });
        t.start();
        resources.add(() -> {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
            t.join(1000);
        });
        URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/onvif/device_service");
        assertThat(failure(() -> driver(uri).deviceInformation()).kind()).isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void oversizedAnswerIsMalformed() throws Exception {
        URI uri = device(200, "<a>" + "x".repeat(SoapClient.MAX_ANSWER_BYTES) + "</a>");
        CameraDriverException e = failure(() -> driver(uri).deviceInformation());
        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(e.getMessage()).contains("larger than");
    }

    @Test
    void unknownOperationIsUnsupported() throws Exception {
        URI uri = device(400, FixtureCamera.fault("ter:ActionNotSupported", "no"));
        assertThat(failure(() -> driver(uri).deviceInformation()).kind()).isEqualTo(Kind.UNSUPPORTED);
    }
}
