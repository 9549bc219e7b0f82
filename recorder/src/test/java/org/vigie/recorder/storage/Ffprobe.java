package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs ffprobe/ffmpeg, the independent checker of the files we write. */
final class Ffprobe {

    private Ffprobe() {
    }

    /** {@code key=value} lines of {@code ffprobe -show_entries ... -of default=nw=1}. */
    static List<String> run(Path file, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error"));
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        return exec(cmd);
    }

    /** Decodes the whole file; returns ffmpeg's error output (empty when it decodes cleanly). */
    static List<String> decodeErrors(Path file) throws IOException, InterruptedException {
        return exec(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-f", "null", "-"));
    }

    private static List<String> exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timeout: " + cmd);
        }
        return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }
}
