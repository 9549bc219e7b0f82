package org.vigie.recorder.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.VideoFormat;

/**
 * Builds synthetic but well-formed H.264 frames: a fake SPS/PPS avcC and access units made of one
 * length-prefixed NAL unit (IDR type 5 for key frames, type 1 otherwise) whose payload encodes the frame number,
 * so tests can tell frames apart after a round trip.
 */
public final class SyntheticStream {

    public static final long SECOND = 1_000_000L;
    /** 2026-01-01T00:00:00Z in µs. */
    public static final long T0 = 1_767_225_600L * SECOND;

    private final VideoFormat format;
    private final long session;
    private final int fps;
    private final int gop;
    private long wall;
    private long media;
    private int n;

    public SyntheticStream(VideoFormat format, long session, long startWallMicros, int fps, int gop) {
        this.format = format;
        this.session = session;
        this.fps = fps;
        this.gop = gop;
        this.wall = startWallMicros;
        this.media = 1_000_000L; // cameras do not start at 0
    }

    public static VideoFormat h264(int width, int height) {
        byte[] sps = {0x67, 0x42, (byte) 0xc0, 0x1e, (byte) 0xda, 0x02, (byte) 0x80, (byte) 0xbf};
        byte[] pps = {0x68, (byte) 0xce, 0x3c, (byte) 0x80};
        return new VideoFormat(Codec.H264, width, height, avcC(sps, pps));
    }

    public static byte[] avcC(byte[] sps, byte[] pps) {
        ByteBuffer b = ByteBuffer.allocate(11 + sps.length + pps.length);
        b.put((byte) 1).put(sps[1]).put(sps[2]).put(sps[3]).put((byte) 0xff).put((byte) 0xe1);
        b.putShort((short) sps.length).put(sps).put((byte) 1).putShort((short) pps.length).put(pps);
        return b.array();
    }

    /** The next frame; a key frame every {@code gop} frames (starting with one). */
    public Frame next() {
        boolean key = n % gop == 0;
        return next(key);
    }

    public Frame next(boolean key) {
        int size = key ? 400 : 60 + (n % 7);
        ByteBuffer b = ByteBuffer.allocate(4 + size);
        b.putInt(size).put((byte) (key ? 0x65 : 0x41)).putInt(n);
        while (b.hasRemaining()) {
            b.put((byte) (n * 31 + b.position()));
        }
        Frame f = new Frame(format, session, media, wall, key, b.array());
        n++;
        media += 90_000 / fps;
        wall += SECOND / fps;
        return f;
    }

    public List<Frame> take(int count) {
        List<Frame> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(next());
        }
        return out;
    }

    /** Moves wall and media time forward without frames (a stall inside the session). */
    public SyntheticStream skip(long micros) {
        wall += micros;
        media += micros * 9 / 100;
        return this;
    }

    public long wallMicros() {
        return wall;
    }

    /** The frame number stored in a synthetic access unit. */
    public static int frameNumber(byte[] data) {
        return ByteBuffer.wrap(data, 5, 4).getInt();
    }
}
