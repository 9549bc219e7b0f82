package org.vigie.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * GStreamer's own RTSP server ({@code test-support/gst-rtsp-server.py} through python3-gi): a camera peer this
 * project did not write, serving {@code /cam1../camK} on 127.0.0.1, in a subprocess. Closing it kills the process.
 */
public final class GstRtspServer implements AutoCloseable {

    /** The script, found from any module's folder (tests run with the module as working directory). */
    public static final Path SCRIPT = Path.of("..", "test-support", "gst-rtsp-server.py").toAbsolutePath().normalize();

    private final Process process;
    private final int port;

    private GstRtspServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** K cameras on an ephemeral port, plus the script's extra arguments ({@code --help} lists them). */
    public static GstRtspServer start(int cameras, String... extra) throws IOException {
        return start(0, cameras, extra);
    }

    /** K cameras on {@code port} (0: an ephemeral port), plus the script's extra arguments. */
    public static GstRtspServer start(int port, int cameras, String... extra) throws IOException {
        if (!Files.isRegularFile(SCRIPT)) {
            throw new IllegalStateException("missing " + SCRIPT);
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString(), "--port",
                Integer.toString(port), "--cameras", Integer.toString(cameras), "--watch-stdin"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("READY ")) {
            p.destroyForcibly();
            throw new IOException("gst-rtsp-server.py did not start: " + line);
        }
        return new GstRtspServer(p, Integer.parseInt(line.substring(6).trim()));
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** The URL of camera {@code n} (1..K). */
    public String url(int camera) {
        return "rtsp://127.0.0.1:" + port + "/cam" + camera;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
