package org.vigie.simulator.onvif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the simulator with an ONVIF client the project did not write: the npm {@code onvif} package (0.7.4),
 * installed once under {@code target/npm-onvif}. It connects (GetSystemDateAndTime, GetServices/GetCapabilities,
 * GetProfiles, GetVideoSources with its own clock-offset handling and WS-UsernameToken), reads the stream URI and
 * receives a motion event through its own PullPoint loop. Its WS-Discovery probe socket cannot be pinned to the
 * loopback, so discovery is checked only inside a {@link LoopbackOnlyNamespace} (whose only interface is {@code lo}):
 * the simulator runs there in a child JVM ({@link DiscoverableSimulatorMain}), and the node client probes,
 * finds it and connects, all inside the namespace, so no probe can leave the machine.
 *
 * <p>Needs {@code node}/{@code npm} and, for discovery, a network namespace (root, iproute2): without them the test
 * fails (a skip only with {@code -Dvigie.allowSkips=true}, see test-support's NoSilentSkips); a failing
 * {@code npm install} fails the test.
 */
class NodeOnvifClientTest {

    private static final String SCRIPT = """
            const { Cam } = require('onvif');
            const [port, id, user, pass] = process.argv.slice(2);
            const out = (o) => console.log(JSON.stringify(o));
            const cam = new Cam({ hostname: '127.0.0.1', port: Number(port), path: `/onvif/${id}/device_service`,
                                  username: user, password: pass, timeout: 5000 }, function (err) {
              if (err) { out({ step: 'connect', error: String(err.message || err) }); process.exit(0); }
              this.getDeviceInformation((err, info) => {
                if (err) { out({ step: 'info', error: String(err) }); process.exit(0); }
                this.getStreamUri({ protocol: 'RTSP', profileToken: 'main' }, (err, stream) => {
                  if (err) { out({ step: 'uri', error: String(err) }); process.exit(0); }
                  out({ step: 'connected', manufacturer: info.manufacturer, uri: stream.uri,
                        profiles: this.profiles.map(p => ({ token: p.$.token,
                          width: p.videoEncoderConfiguration.resolution.width })) });
                  this.on('event', (m) => {
                    out({ step: 'event', topic: m.topic._,
                          value: String(m.message.message.data.simpleItem.$.Value) });
                    process.exit(0);
                  });
                  out({ step: 'listening' });
                });
              });
            });
            setTimeout(() => { out({ step: 'timeout' }); process.exit(3); }, 15000);
            """;

    /** Probes with WS-Discovery, prints what it found, then connects to the device whose XAddr names {@code id}. */
    private static final String DISCOVER_SCRIPT = """
            const onvif = require('onvif');
            const [id, user, pass] = process.argv.slice(2);
            const out = (o) => console.log(JSON.stringify(o));
            setTimeout(() => { out({ step: 'timeout' }); process.exit(3); }, 20000);
            onvif.Discovery.on('error', (e) => out({ step: 'discovery-error', error: String(e) }));
            onvif.Discovery.probe({ resolve: false, timeout: 3000 }, (err, found) => {
              const devices = found.map((d) => ({ urn: d.probeMatches.probeMatch.endpointReference.address,
                                                 xaddrs: String(d.probeMatches.probeMatch.XAddrs) }));
              out({ step: 'discovered', devices });
              const target = devices.find((d) => d.xaddrs.includes(`/onvif/${id}/`));
              if (!target) { out({ step: 'not-found' }); process.exit(0); }
              const u = new URL(target.xaddrs.split(' ')[0]);
              new onvif.Cam({ hostname: u.hostname, port: Number(u.port), path: u.pathname,
                              username: user, password: pass, timeout: 5000 }, function (err) {
                if (err) { out({ step: 'connect', error: String(err.message || err) }); process.exit(0); }
                this.getStreamUri({ protocol: 'RTSP', profileToken: 'main' }, (err, stream) => {
                  if (err) { out({ step: 'uri', error: String(err) }); process.exit(0); }
                  out({ step: 'connected', urn: target.urn, uri: stream.uri,
                        profiles: this.profiles.map(p => ({ token: p.$.token,
                          width: p.videoEncoderConfiguration.resolution.width,
                          height: p.videoEncoderConfiguration.resolution.height })) });
                  process.exit(0);
                });
              });
            });
            """;

    private static OnvifSimulator simulator;
    private static Path work;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed: the npm onvif client check is skipped");
        work = Path.of("target", "npm-onvif").toAbsolutePath();
        Files.createDirectories(work);
        if (!Files.isDirectory(work.resolve("node_modules/onvif"))) {
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--no-save", "onvif@0.7.4")
                    .directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("npm-install.log").toFile()).start();
            assertThat(npm.waitFor(300, TimeUnit.SECONDS)).as("npm install finished").isTrue();
            assertThat(npm.exitValue()).as("npm install onvif, see " + work.resolve("npm-install.log")).isZero();
        }
        Files.writeString(work.resolve("check.js"), SCRIPT);
        Files.writeString(work.resolve("discover.js"), DISCOVER_SCRIPT);
        OnvifSimulator.Options o = OnvifSimulator.Options.defaults("127.0.0.1", 0, new SimulatorCredentials("admin", "Secret1"));
        simulator = OnvifSimulator.start(new OnvifSimulator.Options(o.host(), 0, o.credentials(), -1, null, o.clock(),
                Duration.ofHours(3), o.tokenTolerance()), List.of(
                new SimulatedCameraInfo("north-7", "Nord 7", "rtsp://127.0.0.1:8554/north-7")));
    }

    @AfterAll
    static void tearDown() {
        if (simulator != null) {
            simulator.close();
        }
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }

    /** Runs the script; every JSON line it prints goes to the queue. */
    private static Process run(String password, BlockingQueue<String> lines) throws IOException {
        Process p = new ProcessBuilder("node", "check.js", Integer.toString(simulator.httpPort()), "north-7", "admin",
                password).directory(work.toFile()).redirectErrorStream(true).start();
        return readLines(p, lines);
    }

    /** Copies every line {@code p} prints to the queue, on a daemon thread. */
    private static Process readLines(Process p, BlockingQueue<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    @Test
    void nodeClientReadsProfilesAndStreamUriAndReceivesMotion() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Process p = run("Secret1", lines);
        try {
            String connected = lines.poll(15, TimeUnit.SECONDS);
            assertThat(connected).as("node output").isNotNull().contains("\"step\":\"connected\"");
            assertThat(connected).contains("\"manufacturer\":\"Vigie\"")
                    .contains("\"uri\":\"rtsp://127.0.0.1:8554/north-7\"")
                    .contains("{\"token\":\"main\",\"width\":1280}").contains("{\"token\":\"sub\",\"width\":640}");
            assertThat(lines.poll(5, TimeUnit.SECONDS)).contains("listening");
            SimulatedOnvifCamera camera = simulator.camera("north-7");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<String> rest = new ArrayList<>();
            String event = null;
            while (event == null && System.nanoTime() < deadline) {
                if (camera.activeSubscriptions() > 0) {
                    camera.raiseMotion(true);
                }
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line != null && line.contains("\"step\":\"event\"")) {
                    event = line;
                } else if (line != null) {
                    rest.add(line);
                }
            }
            assertThat(event).as("event line; other output: %s", rest).isNotNull()
                    .contains("RuleEngine/CellMotionDetector/Motion").contains("\"value\":\"true\"");
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void nodeClientWithWrongPasswordIsRefused() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Process p = run("wrong", lines);
        try {
            String line = lines.poll(15, TimeUnit.SECONDS);
            // refused by the camera's authentication (its SOAP fault, as the npm client reports it), not any error:
            // a timeout, a refused connection or a parse error would not prove the password was checked
            assertThat(line).as("the node client's first line").isNotNull().contains("\"error\"")
                    .contains("Sender not authorized").doesNotContain("\"step\":\"connected\"");
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void nodeClientDiscoversTheSimulatorInsideANetworkNamespace() throws Exception {
        LoopbackOnlyNamespace ns;
        try {
            ns = LoopbackOnlyNamespace.create();
        } catch (LoopbackOnlyNamespace.Unavailable e) {
            assumeTrue(false, "no network namespace, the discovery check is skipped: " + e.getMessage());
            return;
        }
        Process sim = null;
        Process node = null;
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            BlockingQueue<String> simLines = new LinkedBlockingQueue<>();
            sim = readLines(ns.processBuilder(List.of(java, "-Djava.awt.headless=true", "-cp",
                            System.getProperty("java.class.path"), DiscoverableSimulatorMain.class.getName(),
                            "north-7=rtsp://127.0.0.1:8554/north-7", "south-2=rtsp://127.0.0.1:8554/south-2"))
                    .redirectErrorStream(true).start(), simLines);
            List<String> simSeen = new ArrayList<>();
            String ready = awaitLine(simLines, "READY ", Duration.ofSeconds(60), simSeen);
            assertThat(ready).as("simulator child output: %s", simSeen).isNotNull();
            int port = Integer.parseInt(ready.substring("READY ".length()).strip());

            BlockingQueue<String> nodeLines = new LinkedBlockingQueue<>();
            node = readLines(ns.processBuilder(List.of("node", "discover.js", "north-7",
                    DiscoverableSimulatorMain.USER, DiscoverableSimulatorMain.PASSWORD))
                    .directory(work.toFile()).redirectErrorStream(true).start(), nodeLines);
            List<String> nodeSeen = new ArrayList<>();
            String discovered = awaitLine(nodeLines, "{\"step\":\"discovered\"", Duration.ofSeconds(15), nodeSeen);
            assertThat(discovered).as("node discovery output: %s", nodeSeen).isNotNull();
            String north = "http://127.0.0.1:" + port + "/onvif/north-7/device_service";
            String south = "http://127.0.0.1:" + port + "/onvif/south-2/device_service";
            assertThat(discovered)
                    .contains("{\"urn\":\"" + OnvifSimulator.endpointReference(new SimulatedCameraInfo("north-7", "x",
                            "rtsp://unused")) + "\",\"xaddrs\":\"" + north + "\"}")
                    .contains("\"xaddrs\":\"" + south + "\"");
            String connected = awaitLine(nodeLines, "{\"step\":\"", Duration.ofSeconds(15), nodeSeen);
            assertThat(connected).as("node connect output: %s", nodeSeen).isNotNull()
                    .contains("\"step\":\"connected\"")
                    .contains("\"uri\":\"rtsp://127.0.0.1:8554/north-7\"")
                    .contains("{\"token\":\"main\",\"width\":1280,\"height\":720}")
                    .contains("{\"token\":\"sub\",\"width\":640,\"height\":360}");
            assertThat(node.waitFor(10, TimeUnit.SECONDS)).as("node client exited").isTrue();
            assertThat(node.exitValue()).isZero();
        } finally {
            for (Process p : new Process[] {node, sim}) {
                if (p != null) {
                    p.destroy();
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        p.waitFor(5, TimeUnit.SECONDS);
                    }
                }
            }
            ns.close();
        }
    }

    /**
     * The first line starting with {@code prefix} within {@code timeout}, or null; every line taken from the queue
     * (matching or not) is appended to {@code seen}, for failure messages.
     */
    private static String awaitLine(BlockingQueue<String> lines, String prefix, Duration timeout, List<String> seen)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line != null) {
                seen.add(line);
            }
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
        }
        return null;
    }
}
