package org.vigie.server.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** ffprobe, the independent checker: codec and packet count of an fMP4 byte stream received from the server. */
public final class Probe {

    public record Result(String codec, int width, int height, int packets, String errors) {
    }

    private Probe() {
    }

    public static Result probe(byte[] fmp4, Path dir, String name) throws IOException, InterruptedException {
        Path file = dir.resolve(name + ".mp4");
        Files.write(file, fmp4);
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_packets", "-select_streams", "v:0",
                "-show_entries", "stream=codec_name,width,height,nb_read_packets", "-of", "json", file.toString())
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffprobe failed on " + file + ": " + err);
        }
        JsonNode s = new ObjectMapper().readTree(out).path("streams").path(0);
        return new Result(s.path("codec_name").asText(), s.path("width").asInt(), s.path("height").asInt(),
                s.path("nb_read_packets").asInt(), err.strip());
    }
}
