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

    /**
     * The frames GStreamer decodes from an MP4 file: its own demuxer (qtdemux) and libav's decoder, a reader
     * independent of ffprobe's packet list, so that a frame count and a duration are not taken from one source.
     * Fails on any error of the pipeline.
     */
    static int decodedFrames(Path file) throws IOException, InterruptedException {
        java.io.File out = java.io.File.createTempFile("gst-decode", ".out");
        try {
            // -v prints fakesink's last-message once per buffer it receives: one decoded picture each
            Process p = new ProcessBuilder("gst-launch-1.0", "-v", "filesrc", "location=" + file, "!", "qtdemux", "!",
                    "h264parse", "!", "avdec_h264", "!", "fakesink", "silent=false").redirectErrorStream(true)
                    .redirectOutput(out).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException("gst-launch-1.0 did not decode " + file + " within 120 s");
            }
            String log = java.nio.file.Files.readString(out.toPath(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || log.contains("ERROR")) {
                throw new IOException("gst-launch-1.0 failed to decode " + file + ": "
                        + log.substring(Math.max(0, log.length() - 2000)));
            }
            return (int) log.lines().filter(l -> l.contains("last-message = chain")).count();
        } finally {
            out.delete();
        }
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
