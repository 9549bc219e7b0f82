package org.vigie.simulator;

import java.nio.file.Path;
import java.util.List;

/**
 * How to generate a simulated camera's H.264 clip with GStreamer: picture size, frame rate, bit rate, GOP length
 * and length in frames. The clip is encoded once (see {@link ClipLibrary}) and looped by every camera.
 *
 * <p>Invariants (checked): {@code frameCount} is a whole number of GOPs, so the loop seam lands on an IDR picture;
 * the content mixes a moving pattern with snow so that it really costs the requested bit rate; B-frames are off.
 *
 * @param gopFrames IDR interval in frames (x264 {@code key-int-max}, scene-cut off so that IDRs are exactly periodic)
 */
public record ClipPreset(int width, int height, int fps, int bitrateKbps, int gopFrames, int frameCount) {

    /** The production-like clip: 1280x720, 25 fps, 2 Mbit/s, GOP 2 s, 16 s long (about 4 MB). */
    public static final ClipPreset HD_720P = new ClipPreset(1280, 720, 25, 2000, 50, 400);
    /** A small clip for fast tests: 320x240, 25 fps, 300 kbit/s, GOP 1 s, 4 s long. */
    public static final ClipPreset SMALL_240P = new ClipPreset(320, 240, 25, 300, 25, 100);

    public ClipPreset {
        if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("picture size must be even and >= 16: " + width + "x" + height);
        }
        if (fps < 1 || fps > 120) {
            throw new IllegalArgumentException("fps out of range: " + fps);
        }
        if (bitrateKbps < 50) {
            throw new IllegalArgumentException("bit rate too low: " + bitrateKbps);
        }
        if (gopFrames < 1 || frameCount < gopFrames || frameCount % gopFrames != 0) {
            throw new IllegalArgumentException("frame count " + frameCount + " must be a whole number of GOPs of "
                    + gopFrames + " frames (the loop restarts on an IDR)");
        }
    }

    /** A file name that identifies the preset, so that a cache never serves a clip made with other settings. */
    public String cacheFileName() {
        return "clip-v1-" + width + "x" + height + "-" + fps + "fps-" + bitrateKbps + "k-gop" + gopFrames + "-"
                + frameCount + "f.h264";
    }

    /** The {@code gst-launch-1.0} command line that encodes this clip into {@code output} (Annex B byte stream). */
    public List<String> gstLaunchCommand(Path output) {
        String raw = "video/x-raw,width=" + width + ",height=" + height + ",framerate=" + fps + "/1";
        int fontPx = Math.max(8, height / 24);
        return List.of("gst-launch-1.0", "-q",
                "compositor", "name=mix", "sink_1::alpha=0.25", "!", raw, "!",
                "timeoverlay", "font-desc=Sans " + fontPx, "!",
                "x264enc", "bitrate=" + bitrateKbps, "key-int-max=" + gopFrames, "bframes=0",
                "speed-preset=ultrafast", "tune=zerolatency", "aud=true",
                "option-string=scenecut=0:repeat-headers=1", "!",
                "video/x-h264,profile=main,stream-format=byte-stream", "!",
                "filesink", "location=" + output,
                "videotestsrc", "pattern=ball", "motion=sweep", "num-buffers=" + frameCount, "!", raw, "!", "mix.sink_0",
                "videotestsrc", "pattern=snow", "num-buffers=" + frameCount, "!", raw, "!", "mix.sink_1");
    }
}
