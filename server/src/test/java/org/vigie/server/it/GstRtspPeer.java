package org.vigie.server.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * GStreamer's own RTSP server (test-support/gst-rtsp-server.py through python3-gi): a camera peer this project did
 * not write, serving /cam1../camK on 127.0.0.1.
 */
final class GstRtspPeer implements AutoCloseable {

    private static final Path SCRIPT = Path.of("..", "test-support", "gst-rtsp-server.py").toAbsolutePath().normalize();

    private final Process process;
    private final int port;

    private GstRtspPeer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static GstRtspPeer start(int cameras, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString(), "--port", "0",
                "--cameras", Integer.toString(cameras), "--watch-stdin"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("READY ")) {
            p.destroyForcibly();
            throw new IOException("gst-rtsp-server.py did not start: " + line);
        }
        return new GstRtspPeer(p, Integer.parseInt(line.substring(6).trim()));
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
