package org.vigie.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.store.CameraStore;
import org.vigie.server.store.Database;
import picocli.CommandLine;

/**
 * {@code vms jvm-options} sizes the heap from the cameras the server will record: those of the file and those added
 * through the API (a real SQLite database written by {@link CameraStore}), as the server puts them at start.
 */
class JvmOptionsCommandTest {

    /** A serial heap starts small and follows its live set up to -Xmx (JvmOptions). */
    private static final String FOLLOW_LIVE_SET = "-Xms32m -XX:MinHeapFreeRatio=50 -XX:MaxHeapFreeRatio=70";

    @TempDir
    Path dir;

    @Test
    void countsTheFileAndTheDatabaseCamerasTheServerWillRecord() throws Exception {
        Path storage = dir.resolve("rec");
        StringBuilder yaml = new StringBuilder("storage: { path: '" + storage + "' }\ncameras:\n");
        for (int i = 1; i <= 50; i++) {
            yaml.append("  - { id: f").append(i).append(", url: 'rtsp://127.0.0.1:9/f").append(i).append("' }\n");
        }
        // a disabled camera is not recorded; record-sub records two streams: 52 streams, 1.6 x (80 + 52) MB
        yaml.append("  - { id: off, url: 'rtsp://127.0.0.1:9/off', enabled: false }\n");
        yaml.append("  - { id: both, url: 'rtsp://127.0.0.1:9/m', sub-url: 'rtsp://127.0.0.1:9/s', record-sub: true }\n");
        Path config = Files.writeString(dir.resolve("vms.yaml"), yaml);
        assertThat(run(config)).isEqualTo("-Xmx212m -Xss512k -XX:+UseSerialGC " + FOLLOW_LIVE_SET
                + " -XX:MaxDirectMemorySize=90m");

        try (Database db = Database.open(storage.resolve("vms.db"))) {
            CameraStore store = new CameraStore(db, InstantSource.system());
            for (int i = 1; i <= 100; i++) {
                store.save(camera("api" + i));
            }
            store.save(camera("f1")); // shadowed by the file's camera of that id: not recorded twice
            // 152 streams, read while the database is open, as when the command runs beside a server
            assertThat(run(config)).isEqualTo("-Xmx372m -Xss512k -XX:+UseSerialGC " + FOLLOW_LIVE_SET
                    + " -XX:MaxDirectMemorySize=140m");
        }
    }

    @Test
    void serverHeapOverridesAndABadValueIsAConfigurationError() throws Exception {
        Path config = Files.writeString(dir.resolve("vms.yaml"),
                "server: { heap: 3GB }\nstorage: { path: '" + dir.resolve("rec") + "' }\n");
        assertThat(run(config)).isEqualTo("-Xmx3072m -Xss512k -XX:+UseG1GC -XX:MaxDirectMemorySize=64m");
        Files.writeString(config, "server: { heap: lots }\nstorage: { path: '" + dir.resolve("rec") + "' }\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new VmsCommand()).execute("jvm-options", "--config", config.toString());
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(78);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("server.heap", "'LOTS'");
        assertThat(Files.exists(dir.resolve("rec").resolve("vms.db"))).as("the database is never created").isFalse();
    }

    private static CameraConfig camera(String id) {
        return new CameraConfig(id, id, URI.create("rtsp://127.0.0.1:9/" + id), null, false, null, null, null, true,
                null, Duration.ofDays(1));
    }

    private static String run(Path config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new VmsCommand()).execute("jvm-options", "--config", config.toString()))
                    .isEqualTo(0);
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8).trim();
    }
}
