package org.vigie.playback.ws;

import org.vigie.testing.TestClip;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.VideoFormat;

/** The channel timeline: init segments where needed, decode times that never go back, rate compression. */
class Fmp4MuxerTest {

    static final VideoFormat A = new VideoFormat(Codec.H264, 320, 240, TestClip.avcC(new byte[] {0x67, 0x4d, 0x40, 0x1f},
            new byte[] {0x68, 0x01}));
    static final VideoFormat B = new VideoFormat(Codec.H264, 640, 480, TestClip.avcC(new byte[] {0x67, 0x64, 0x00, 0x28},
            new byte[] {0x68, 0x02}));

    static Frame frame(VideoFormat f, long session, long media, boolean key) {
        return new Frame(f, session, media, 1_000_000L + media, key, new byte[] {0, 0, 0, 1, 0x65});
    }

    static long tfdt(byte[] fragment) {
        for (int i = 4; i + 16 <= fragment.length; i++) {
            if (fragment[i] == 't' && fragment[i + 1] == 'f' && fragment[i + 2] == 'd' && fragment[i + 3] == 't') {
                return ByteBuffer.wrap(fragment, i + 8, 8).getLong();
            }
        }
        throw new AssertionError("no tfdt");
    }

    @Test
    void firstFrameAndFormatChangesCarryAnInitSegment() {
        Fmp4Muxer m = new Fmp4Muxer();
        assertThat(m.mux(frame(A, 1, 9_000, true)).init()).isNotNull();
        assertThat(m.mux(frame(A, 1, 12_600, false)).init()).isNull();
        assertThat(m.mux(frame(B, 1, 16_200, true)).init()).isNotNull();
        assertThat(m.format()).isEqualTo(B);
    }

    @Test
    void theTimelineStartsAtZeroAndContinuesAcrossSessionsJumpsAndSeeks() {
        Fmp4Muxer m = new Fmp4Muxer();
        List<Long> t = new ArrayList<>();
        t.add(tfdt(m.mux(frame(A, 1, 1_000_000, true)).fragment()));
        t.add(tfdt(m.mux(frame(A, 1, 1_003_600, false)).fragment()));
        t.add(tfdt(m.mux(frame(A, 2, 50, true)).fragment()));          // new session, media time restarts
        t.add(tfdt(m.mux(frame(A, 2, 3_650, false)).fragment()));
        t.add(tfdt(m.mux(frame(A, 2, 900_000, true)).fragment()));     // a 10 s jump: continuous anyway
        m.discontinuity();
        t.add(tfdt(m.mux(frame(A, 2, 3_650, true)).fragment()));       // a seek back
        t.add(tfdt(m.mux(frame(A, 2, 3_650, false)).fragment()));      // same media time twice: a new run
        assertThat(t).containsExactly(0L, 3_600L, 7_200L, 10_800L, 14_400L, 18_000L, 21_600L);
    }

    @Test
    void aRateDividesTheTimeline() {
        Fmp4Muxer m = new Fmp4Muxer();
        m.rate(4);
        assertThat(m.mux(frame(A, 1, 0, true)).decodeTime90k()).isZero();
        assertThat(m.mux(frame(A, 1, 3_600, false)).decodeTime90k()).isEqualTo(900);
        assertThat(m.mux(frame(A, 1, 7_200, false)).decodeTime90k()).isEqualTo(1_800);
        m.rate(0.25);
        assertThat(m.mux(frame(A, 1, 10_800, false)).decodeTime90k()).isEqualTo(2_700); // new run: + last interval
        assertThat(m.mux(frame(A, 1, 14_400, false)).decodeTime90k()).isEqualTo(2_700 + 14_400);
    }
}
