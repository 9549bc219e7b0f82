package org.vigie.server.security;

import java.time.Instant;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.vigie.server.VmsServer;
import org.vigie.server.api.TestServers;

/**
 * Recorded footage without a camera: small H.264-shaped frames (5 fps, a key frame every second) written straight
 * into a running server's recorder, then waited for until written and closed.
 */
final class Footage {

    static final int FPS = 5;
    private static long session = 100;

    private Footage() {
    }

    /** Records {@code seconds} of {@code key} from {@code start}; returns once on disk with its segments closed. */
    static void record(VmsServer server, StreamKey key, Instant start, int seconds) throws Exception {
        FrameSink sink = server.recorder().sink(key);
        long id;
        synchronized (Footage.class) {
            id = ++session;
        }
        long t0 = start.getEpochSecond() * 1_000_000L + start.getNano() / 1000;
        long before = server.recorder().stats(key).map(s -> s.framesWritten()).orElse(0L);
        int frames = seconds * FPS;
        for (int i = 0; i < frames; i++) {
            sink.onFrame(frame(id, i, t0 + i * 1_000_000L / FPS));
        }
        sink.onSessionEnd(id);
        TestServers.await(frames + " frames of " + key + " written", java.time.Duration.ofSeconds(20), () ->
                server.recorder().stats(key).orElseThrow().framesWritten() >= before + frames
                        && server.recorder().catalog().last(key)
                        .map(s -> !server.recorder().openSegments().isOpen(s.segment())).orElse(false));
    }

    static Frame frame(long session, int n, long wallMicros) {
        byte[] avcC = {1, 0x42, (byte) 0xc0, 0x1e, (byte) 0xff, (byte) 0xe1, 0, 4, 0x67, 0x42, (byte) 0xc0, 0x1e,
                1, 0, 2, 0x68, (byte) 0xce};
        boolean key = n % FPS == 0;
        byte[] data = new byte[4 + 40];
        data[3] = 40;
        data[4] = (byte) (key ? 0x65 : 0x41);
        data[5] = (byte) n;
        return new Frame(new VideoFormat(Codec.H264, 320, 240, avcC), session, 90_000L + n * (90_000L / FPS),
                wallMicros, key, data);
    }
}
