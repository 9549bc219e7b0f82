package org.vigie.server.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.VideoFormat;
import org.vigie.simulator.ClipLibrary;
import org.vigie.simulator.ClipPreset;
import org.vigie.simulator.H264Clip;

/** Real H.264 frames (the simulator's 240p clip, 1 s GOP) as a camera would deliver them, with chosen times. */
final class ClipFrames {

    final H264Clip clip;
    final VideoFormat format;
    final int fps;

    ClipFrames() {
        try {
            ClipPreset p = ClipPreset.SMALL_240P;
            clip = H264Clip.read(ClipLibrary.userCache().obtain(p), p.fps());
            fps = p.fps();
            format = new VideoFormat(Codec.H264, p.width(), p.height(), avcC(clip.sps(), clip.pps()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Frame n of an endless loop of the clip, starting a session at {@code wall0} µs. */
    Frame frame(long session, int n, long wall0) {
        H264Clip.AccessUnit au = clip.accessUnit(n % clip.size());
        int size = 0;
        List<byte[]> nals = new ArrayList<>();
        for (byte[] nal : au.nalUnits()) {
            int type = nal[0] & 0x1f;
            if (type == 7 || type == 8 || type == 9) continue; // parameter sets live in avcC
            nals.add(nal);
            size += 4 + nal.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        for (byte[] nal : nals) b.putInt(nal.length).put(nal);
        return new Frame(format, session, 90_000L + n * (90_000L / fps), wall0 + n * (1_000_000L / fps),
                au.idr(), b.array());
    }

    int gopFrames() {
        for (int i = 1; i < clip.size(); i++) {
            if (clip.accessUnit(i).idr()) return i;
        }
        return clip.size();
    }

    static byte[] avcC(byte[] sps, byte[] pps) {
        ByteBuffer b = ByteBuffer.allocate(11 + sps.length + pps.length);
        b.put((byte) 1).put(sps[1]).put(sps[2]).put(sps[3]).put((byte) 0xff).put((byte) 0xe1);
        b.putShort((short) sps.length).put(sps).put((byte) 1).putShort((short) pps.length).put(pps);
        return b.array();
    }
}
