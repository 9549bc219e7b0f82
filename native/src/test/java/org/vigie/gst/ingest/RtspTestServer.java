package org.vigie.gst.ingest;

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
 * Runs test-support/gst-rtsp-server.py (GStreamer's own RTSP server, a peer this project did not write) as a
 * subprocess on 127.0.0.1 and reports its port. Closing it kills the process.
 */
final class RtspTestServer implements AutoCloseable {

    static final Path SCRIPT = Path.of("..", "test-support", "gst-rtsp-server.py").toAbsolutePath().normalize();

    private final Process process;
    private final int port;

    private RtspTestServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server with K cameras on the given port (0 = any free port) plus extra arguments. */
    static RtspTestServer start(int port, int cameras, String... extra) throws IOException {
        if (!Files.isRegularFile(SCRIPT)) {
            throw new IllegalStateException("missing " + SCRIPT);
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString(), "--port",
                Integer.toString(port), "--cameras", Integer.toString(cameras), "--watch-stdin"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("READY ")) {
            p.destroyForcibly();
            throw new IOException("gst-rtsp-server.py did not start: " + line);
        }
        return new RtspTestServer(p, Integer.parseInt(line.substring(6).trim()));
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    String url(int camera) {
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
