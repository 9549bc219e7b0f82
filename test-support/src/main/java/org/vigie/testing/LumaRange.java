package org.vigie.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The luma range of a rectangle of every decoded frame, by ffmpeg's {@code crop} and {@code signalstats} filters:
 * the independent check that a privacy mask is burned in (uniform black under it: a range of a few levels) and that
 * the rest of the picture is not (a range of many levels). Works on files (MP4, JPEG) and on RTSP URLs.
 */
public final class LumaRange {

    private static final Pattern LINE = Pattern.compile("lavfi\\.signalstats\\.Y(MIN|MAX)=(\\d+)");

    /** One frame's luma extremes in the rectangle. */
    public record Frame(int min, int max) {
        public int range() {
            return max - min;
        }
    }

    private LumaRange() {
    }

    /**
     * The luma range of {@code w}x{@code h} at ({@code x}, {@code y}) of every frame of {@code input}.
     *
     * @param inputOptions ffmpeg options before {@code -i} (e.g. {@code -rtsp_transport tcp})
     * @param maxFrames    stop after this many frames (a live source has no end)
     */
    public static List<Frame> of(String input, List<String> inputOptions, int x, int y, int w, int h, int maxFrames)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-v", "error"));
        cmd.addAll(inputOptions);
        cmd.addAll(List.of("-i", input, "-frames:v", String.valueOf(maxFrames), "-vf",
                "crop=" + w + ":" + h + ":" + x + ":" + y + ",signalstats,metadata=print:file=-", "-f", "null", "-"));
        Ffprobe.Result r = Ffprobe.run(Ffprobe.TIMEOUT_SECONDS, cmd);
        if (r.exitCode() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + r.stderr());
        List<Frame> frames = new ArrayList<>();
        Integer min = null;
        for (String line : r.stdout().split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) continue;
            int v = Integer.parseInt(m.group(2));
            if (m.group(1).equals("MIN")) {
                min = v;
            } else if (min != null) {
                frames.add(new Frame(min, v));
                min = null;
            }
        }
        return frames;
    }
}
