package org.vigie.web.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.vigie.ingest.CameraState;
import org.vigie.server.VmsServer;
import org.vigie.server.config.VmsConfig;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.ClipPreset;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.simulator.onvif.OnvifSimulator;
import org.vigie.simulator.onvif.SimulatedCameraInfo;
import org.vigie.simulator.onvif.SimulatorCredentials;

/**
 * The world of the client's end-to-end tests, started once for every test class of the module (a JUnit parameter
 * resolver keeps it in the root store, which closes it after the last test; the wall benchmark starts its own): 16 small simulated cameras
 * ({@code cam-01}..{@code cam-16}, 320x240, 25 fps, GOP 1 s; districts {@code district-a} and {@code district-b};
 * the sub stream is the same source, pulled and recorded), one ONVIF camera with PTZ ({@code dome}), a real server recording them, a
 * TCP relay standing for the network between browser and server, and Debian's headless chromium driven by
 * Selenium through chromium-driver, with a download folder.
 *
 * <p>Users: {@code admin} (administrator) and {@code agent} (operator granted district-a only).
 */
final class World implements AutoCloseable {

    static final String ADMIN_PASSWORD = "web-admin-pw";
    static final String AGENT = "agent";
    static final String AGENT_PASSWORD = "agent-pw-123";
    static final int CAMERAS = 16;
    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final CameraSimulator simulator;
    final OnvifSimulator onvif;
    final VmsServer server;
    final TcpProxy network;
    final ChromeDriver driver;
    final Path downloads;
    final String adminToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private World(Path dir) throws Exception {
        this.dir = dir;
        simulator = CameraSimulator.start(0, CAMERAS, SimulatorOptions.defaults().withPreset(ClipPreset.SMALL_240P)
                .withStaggered(true));
        List<String> ids = simulator.cameraIds();
        onvif = OnvifSimulator.start(OnvifSimulator.Options.defaults("127.0.0.1", 0,
                new SimulatorCredentials("onvif", "onvif-pw")), List.of(
                new SimulatedCameraInfo("dome", "Dôme Hôtel de Ville", simulator.url(ids.get(0)).toString())));
        StringBuilder cams = new StringBuilder();
        for (int i = 0; i < CAMERAS; i++) {
            String url = simulator.url(ids.get(i)).toString();
            cams.append("  - { id: '%s', name: 'Rue %d', url: '%s', sub-url: '%s', record-sub: true, group: %s }\n".formatted(
                    camera(i + 1), i + 1, url, url, i < CAMERAS / 2 ? "district-a" : "district-b"));
        }
        cams.append("  - { id: dome, name: 'Dôme', onvif: '%s', username: onvif, password: onvif-pw, group: district-a }\n"
                .formatted(onvif.camera("dome").deviceServiceUrl()));
        VmsConfig config = VmsConfig.parse("""
                storage: { path: '%s', segment-duration: 10s }
                database: { path: '%s' }
                server: { http-port: 0, rtsp-port: 0, bind-address: 127.0.0.1 }
                ingest: { reconnect-min: 200ms, reconnect-max: 1s }
                auth: { admin-password: '%s', argon2-memory-kib: 8, argon2-iterations: 1 }
                cameras:
                %s""".formatted(dir.resolve("recordings"), dir.resolve("vms.db"), ADMIN_PASSWORD, cams));
        server = VmsServer.start(config, InstantSource.system());
        Await.until("every camera streaming", Duration.ofSeconds(60), () -> server.cameras().list().stream()
                .allMatch(c -> c.state() == CameraState.STREAMING), () -> server.cameras().list().toString());
        adminToken = login("admin", ADMIN_PASSWORD);
        api("POST", "/api/v1/users", Map.of("username", AGENT, "password", AGENT_PASSWORD, "role", "operator",
                "cameras", List.of(), "groups", List.of("district-a")), adminToken);
        network = new TcpProxy(server.httpPort());
        downloads = Files.createDirectories(dir.resolve("downloads"));
        driver = browser(dir, downloads);
    }

    /** A world of its own in {@code dir}, outside JUnit (the wall benchmark's); the caller closes it. */
    static World start(Path dir) throws Exception {
        return new World(dir);
    }

    static String camera(int n) {
        return "cam-%02d".formatted(n);
    }

    private static ChromeDriver browser(Path dir, Path downloads) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
                "--autoplay-policy=no-user-gesture-required", "--window-size=1600,1000",
                "--user-data-dir=" + dir.resolve("chromium"));
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toAbsolutePath().toString(),
                "download.prompt_for_download", false, "safebrowsing.enabled", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver.log").toFile()).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        // downloads go to that absolute folder (a relative one sends them to ~/Downloads), for every tab
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath",
                downloads.toAbsolutePath().toString()));
        return driver;
    }

    /** The client's address, through the relay. */
    String base() {
        return "http://127.0.0.1:" + network.port() + "/";
    }

    String login(String user, String password) throws IOException, InterruptedException {
        return api("POST", "/api/v1/auth/login", Map.of("username", user, "password", password), null)
                .path("token").asText();
    }

    /** A call to the server's API (directly, not through the relay); fails unless 2xx. */
    JsonNode api(String method, String path, Object body, String token) throws IOException, InterruptedException {
        HttpResponse<String> r = call(method, path, body, token);
        if (r.statusCode() / 100 != 2) throw new IOException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    HttpResponse<String> call(String method, String path, Object body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Files downloaded so far (complete ones: Chromium names partial ones .crdownload). */
    List<Path> downloaded() throws IOException {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(downloads)) {
            s.filter(p -> !p.toString().endsWith(".crdownload")).forEach(out::add);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            driver.quit();
        } finally {
            try {
                network.close();
                server.close();
            } finally {
                onvif.close();
                simulator.close();
            }
        }
    }

    /** Gives test classes the one World ({@code @ExtendWith(World.Resolver.class)}, parameter of type World). */
    static final class Resolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
            return p.getParameter().getType() == World.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext c) {
            return c.getRoot().getStore(ExtensionContext.Namespace.create(World.class))
                    .getOrComputeIfAbsent(World.class, k -> {
                        try {
                            return new Held(new World(Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "web-it-")));
                        } catch (Exception e) {
                            throw new IllegalStateException("cannot start the world of the web tests", e);
                        }
                    }, Held.class).world();
        }

        /**
         * The world in JUnit's root store, which closes it after the last test. World itself knows nothing of JUnit:
         * the wall benchmark runs it from the benchmarks' jar, where JUnit is not.
         */
        private record Held(World world) implements ExtensionContext.Store.CloseableResource {
            @Override
            public void close() throws Exception {
                world.close();
            }
        }
    }
}
