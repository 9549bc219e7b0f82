package org.vigie.recorder.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;

/**
 * A real H.264 clip made by ffmpeg ({@code testsrc}, libx264, no B-frames, GOP 25, access unit delimiters), read
 * back from its Annex-B form and converted to AVCC access units with an avcC built from its SPS/PPS.
 */
public final class RealH264Clip {

    public final VideoFormat format;
    public final List<byte[]> accessUnits;
    public final List<Boolean> keyFrames;

    private RealH264Clip(VideoFormat format, List<byte[]> accessUnits, List<Boolean> keyFrames) {
        this.format = format;
        this.accessUnits = accessUnits;
        this.keyFrames = keyFrames;
    }

    public static RealH264Clip generate(Path dir, int frames) throws IOException, InterruptedException {
        Path out = dir.resolve("clip.h264");
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-frames:v", String.valueOf(frames),
                "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "25", "-keyint_min", "25",
                "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-x264-params", "aud=1", "-f", "h264", out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ffmpeg failed: " + Files.readString(dir.resolve("ffmpeg.log")));
        }
        return parse(Files.readAllBytes(out));
    }

    static RealH264Clip parse(byte[] annexB) {
        List<byte[]> nals = splitAnnexB(annexB);
        byte[] sps = null;
        byte[] pps = null;
        List<byte[]> aus = new ArrayList<>();
        List<Boolean> keys = new ArrayList<>();
        List<byte[]> current = null;
        boolean key = false;
        for (byte[] nal : nals) {
            int type = nal[0] & 0x1f;
            if (type == 9) {
                if (current != null && !current.isEmpty()) {
                    aus.add(avcc(current));
                    keys.add(key);
                }
                current = new ArrayList<>();
                key = false;
            } else if (type == 7) {
                sps = sps == null ? nal : sps;
            } else if (type == 8) {
                pps = pps == null ? nal : pps;
            } else if (current != null && type != 6) {
                current.add(nal);
                key |= type == 5;
            }
        }
        if (current != null && !current.isEmpty()) {
            aus.add(avcc(current));
            keys.add(key);
        }
        if (sps == null || pps == null) {
            throw new IllegalStateException("no SPS/PPS in clip");
        }
        return new RealH264Clip(new VideoFormat(Codec.H264, 320, 240, SyntheticStream.avcC(sps, pps)), aus, keys);
    }

    private static byte[] avcc(List<byte[]> nals) {
        int len = 0;
        for (byte[] n : nals) {
            len += 4 + n.length;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(len);
        for (byte[] n : nals) {
            b.putInt(n.length).put(n);
        }
        return b.array();
    }

    private static List<byte[]> splitAnnexB(byte[] s) {
        List<Integer> starts = new ArrayList<>();
        List<Integer> prefixStarts = new ArrayList<>();
        for (int i = 0; i + 2 < s.length; i++) {
            if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) {
                starts.add(i + 3);
                prefixStarts.add(i > 0 && s[i - 1] == 0 ? i - 1 : i);
                i += 2;
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (int k = 0; k < starts.size(); k++) {
            int from = starts.get(k);
            int to = k + 1 < starts.size() ? prefixStarts.get(k + 1) : s.length;
            byte[] nal = new byte[to - from];
            System.arraycopy(s, from, nal, 0, nal.length);
            out.add(nal);
        }
        return out;
    }
}
