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
 * receives a motion event through its own PullPoint loop. The node client's discovery is not used: its probe
 * socket cannot be pinned to the loopback, so it could send multicast off the machine.
 *
 * <p>Skipped only when {@code node}/{@code npm} are absent; a failing {@code npm install} fails the test.
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
            assertThat(line).isNotNull().contains("error").doesNotContain("\"step\":\"connected\"");
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
