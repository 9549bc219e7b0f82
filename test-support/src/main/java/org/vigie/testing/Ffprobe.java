package org.vigie.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's ffprobe and ffmpeg, the independent checkers of what the project writes and serves: the one ffprobe
 * helper of every module's tests. Every run has a deadline, so a live source that sends nothing fails the test
 * instead of hanging it.
 */
public final class Ffprobe {

    static final long TIMEOUT_SECONDS = 60;

    /** What ffprobe says of one file's video stream: its packets, their times and key flags. */
    public record Probe(String codec, int width, int height, int frames, double durationSeconds, boolean firstFrameKey,
                        List<Double> keyFrameTimes) {
    }

    /** A finished run: exit code, standard output and standard error. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private Ffprobe() {
    }

    /**
     * The frames GStreamer decodes from an MP4 file: its own demuxer (qtdemux) and libav's decoder, a reader
     * independent of ffprobe's packet list, so that a frame count and a duration are not taken from one source.
     * Fails on any error of the pipeline.
     */
    public static int decodedFrames(Path file) throws IOException, InterruptedException {
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
            String log = Files.readString(out.toPath(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || log.contains("ERROR")) {
                throw new IOException("gst-launch-1.0 failed to decode " + file + ": "
                        + log.substring(Math.max(0, log.length() - 2000)));
            }
            return (int) log.lines().filter(l -> l.contains("last-message = chain")).count();
        } finally {
            out.delete();
        }
    }

    /** Codec, size, packets with their times and key flags of a file's video stream (ffprobe must report no error). */
    public static Probe probe(Path file) throws IOException, InterruptedException {
        JsonNode root = json("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
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

    /** The same, of bytes received from the server (an fMP4 stream), written to {@code dir/name.mp4} first. */
    public static Probe probe(byte[] mp4, Path dir, String name) throws IOException, InterruptedException {
        Path file = dir.resolve(name + ".mp4");
        Files.write(file, mp4);
        return probe(file);
    }

    /** {@code key=value} lines of {@code ffprobe -v error ARGS FILE} (e.g. {@code -show_entries ... -of default=nw=1}). */
    public static List<String> lines(Path file, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error"));
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        Result r = run(TIMEOUT_SECONDS, cmd);
        String out = r.stdout() + r.stderr();
        return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }

    /** Decodes the whole file with ffmpeg; returns its error output (empty when it decodes cleanly). */
    public static List<String> decodeErrors(Path file) throws IOException, InterruptedException {
        Result r = run(TIMEOUT_SECONDS, List.of("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-f",
                "null", "-"));
        String out = r.stdout() + r.stderr();
        return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }

    /** Codec, size and frame rate of an RTSP source's video, over {@code tcp} or {@code udp}. */
    public static Result rtsp(String transport, String url) throws IOException, InterruptedException {
        return run(20, List.of("ffprobe", "-v", "error", "-rtsp_transport", transport, "-select_streams", "v:0",
                "-show_entries", "stream=codec_name,width,height,r_frame_rate", "-of", "default=nw=1", url));
    }

    /** Runs ffprobe (or any command) with JSON output; fails on a non-zero exit or any error it reports. */
    public static JsonNode json(String... cmd) throws IOException, InterruptedException {
        Result r = run(TIMEOUT_SECONDS, List.of(cmd));
        if (r.exitCode() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + r.stderr());
        if (!r.stderr().isBlank()) throw new IOException(String.join(" ", cmd) + " reported errors: " + r.stderr());
        return new ObjectMapper().readTree(r.stdout());
    }

    /**
     * Runs a command for at most {@code timeoutSeconds} (output to files, so that a chatty command never blocks on a
     * full pipe); a command still running then is killed and the result says so (exit code -1).
     */
    public static Result run(long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ffprobe", ".out");
        Path err = Files.createTempFile("ffprobe", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, Files.readString(out), Files.readString(err, StandardCharsets.UTF_8)
                        + "\n(" + String.join(" ", command) + " timed out after " + timeoutSeconds + " s)");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
