package org.vigie.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs ffprobe / gst-launch-1.0 as independent checkers, with a deadline. */
final class ExternalTools {

    record Result(int exitCode, String stdout, String stderr) {
    }

    private ExternalTools() {
    }

    static Result run(long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return new Result(-1, out.join(), err.join() + "\n(timed out after " + timeoutSeconds + " s)");
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    static Result ffprobe(String transport, String url) throws IOException, InterruptedException {
        return run(20, List.of("ffprobe", "-v", "error", "-rtsp_transport", transport, "-select_streams", "v:0",
                "-show_entries", "stream=codec_name,width,height,r_frame_rate", "-of", "default=nw=1", url));
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
