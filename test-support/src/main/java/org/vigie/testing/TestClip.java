package org.vigie.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.VideoFormat;

/**
 * Real H.264 as a camera delivers it, the one clip generator of every module's tests: ffmpeg encodes
 * {@code testsrc} (320x240, 25 fps, libx264, no B-frames, an IDR every {@value #GOP} frames, access unit
 * delimiters) once into a cache under the temporary folder; the clip is read back from its Annex-B form into AVCC
 * access units with an avcC built from its SPS/PPS, and looped into {@link Frame}s with chosen times. Immutable.
 */
public final class TestClip {

    public static final int WIDTH = 320;
    public static final int HEIGHT = 240;
    public static final int FPS = 25;
    public static final int GOP = 25;

    public final VideoFormat format;
    public final int fps = FPS;
    /** AVCC access units (parameter sets in the avcC, not in band). */
    public final List<byte[]> accessUnits;
    public final List<Boolean> keyFrames;

    private TestClip(VideoFormat format, List<byte[]> accessUnits, List<Boolean> keyFrames) {
        this.format = format;
        this.accessUnits = List.copyOf(accessUnits);
        this.keyFrames = List.copyOf(keyFrames);
    }

    /** A clip of {@code frames} frames (a whole number of GOPs loops seamlessly), encoded once per machine. */
    public static TestClip of(int frames) {
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "vigie-test-clips");
        Path file = cache.resolve("testsrc-v1-" + WIDTH + "x" + HEIGHT + "-" + FPS + "fps-gop" + GOP + "-" + frames
                + "f.h264");
        try {
            if (!Files.isRegularFile(file)) {
                Files.createDirectories(cache);
                Path tmp = Files.createTempFile(cache, "clip", ".h264");
                encode(tmp, frames, cache);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A clip encoded afresh into {@code dir} (which also receives ffmpeg's log). */
    public static TestClip generate(Path dir, int frames) throws IOException, InterruptedException {
        Path out = dir.resolve("clip.h264");
        encode(out, frames, dir);
        return parse(Files.readAllBytes(out));
    }

    private static void encode(Path out, int frames, Path logDir) throws IOException, InterruptedException {
        Path log = Files.createTempFile(logDir, "ffmpeg", ".log");
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=size=" + WIDTH + "x" + HEIGHT + ":rate=" + FPS, "-frames:v",
                String.valueOf(frames), "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", String.valueOf(GOP),
                "-keyint_min", String.valueOf(GOP), "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-x264-params", "aud=1",
                "-f", "h264", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ffmpeg failed: " + Files.readString(log));
        }
        Files.deleteIfExists(log);
    }

    /** Frame {@code n} of an endless loop of the clip, in a session starting at {@code wall0} µs. */
    public Frame frame(long session, int n, long wall0) {
        int i = n % accessUnits.size();
        return new Frame(format, session, 90_000L + n * (90_000L / fps), wall0 + n * (1_000_000L / fps),
                keyFrames.get(i), accessUnits.get(i));
    }

    /** Frames from one IDR to the next. */
    public int gopFrames() {
        for (int i = 1; i < keyFrames.size(); i++) {
            if (keyFrames.get(i)) return i;
        }
        return keyFrames.size();
    }

    /** An avcC (ISO 14496-15) of one SPS and one PPS. */
    public static byte[] avcC(byte[] sps, byte[] pps) {
        ByteBuffer b = ByteBuffer.allocate(11 + sps.length + pps.length);
        b.put((byte) 1).put(sps[1]).put(sps[2]).put(sps[3]).put((byte) 0xff).put((byte) 0xe1);
        b.putShort((short) sps.length).put(sps).put((byte) 1).putShort((short) pps.length).put(pps);
        return b.array();
    }

    static TestClip parse(byte[] annexB) {
        byte[] sps = null;
        byte[] pps = null;
        List<byte[]> aus = new ArrayList<>();
        List<Boolean> keys = new ArrayList<>();
        List<byte[]> current = null;
        boolean key = false;
        for (byte[] nal : splitAnnexB(annexB)) {
            int type = nal[0] & 0x1f;
            if (type == 9) { // access unit delimiter: a new access unit
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
        if (sps == null || pps == null) throw new IllegalStateException("no SPS/PPS in clip");
        return new TestClip(new VideoFormat(Codec.H264, WIDTH, HEIGHT, avcC(sps, pps)), aus, keys);
    }

    private static byte[] avcc(List<byte[]> nals) {
        int len = 0;
        for (byte[] n : nals) len += 4 + n.length;
        ByteBuffer b = ByteBuffer.allocate(len);
        for (byte[] n : nals) b.putInt(n.length).put(n);
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
