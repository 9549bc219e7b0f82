package org.vigie.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's ffprobe, the independent checker of what the recorder writes. */
final class Ffprobe {

    /** What ffprobe says of one file's video stream. */
    record Probe(String codec, int width, int height, int frames, double durationSeconds, boolean firstFrameKey,
                 List<Double> keyFrameTimes) {
    }

    private Ffprobe() {
    }

    static Probe probe(Path file) throws IOException, InterruptedException {
        JsonNode root = run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height:packet=pts_time,flags", "-of", "json", file.toString());
        JsonNode stream = root.path("streams").path(0);
        JsonNode packets = root.path("packets");
        List<Double> keys = new ArrayList<>();
        double first = Double.NaN;
        double last = Double.NaN;
        double lastDuration = 0;
        for (JsonNode p : packets) {
            double t = p.path("pts_time").asDouble();
            if (Double.isNaN(first)) first = t;
            if (!Double.isNaN(last)) lastDuration = t - last;
            last = t;
            if (p.path("flags").asText().startsWith("K")) keys.add(t);
        }
        boolean firstKey = packets.size() > 0 && packets.get(0).path("flags").asText().startsWith("K");
        double duration = packets.size() == 0 ? 0 : last - first + lastDuration;
        return new Probe(stream.path("codec_name").asText(), stream.path("width").asInt(),
                stream.path("height").asInt(), packets.size(), duration, firstKey, keys);
    }

    /** Runs a command for at most 60 s (a live source that sends nothing must fail the test, not hang it). */
    static JsonNode run(String... cmd) throws IOException, InterruptedException {
        java.io.File out = java.io.File.createTempFile("ffprobe", ".out");
        java.io.File errFile = java.io.File.createTempFile("ffprobe", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(errFile).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException(String.join(" ", cmd) + " did not finish within 60 s: "
                        + java.nio.file.Files.readString(errFile.toPath()));
            }
            String err = java.nio.file.Files.readString(errFile.toPath(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + err);
            }
            if (!err.isBlank()) {
                throw new IOException(String.join(" ", cmd) + " reported errors: " + err);
            }
            return new ObjectMapper().readTree(out);
        } finally {
            out.delete();
            errFile.delete();
        }
    }
}
