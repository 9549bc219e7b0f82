package org.vigie.playback.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.VideoFormat;

class KeyFrameSeekTest {

    static final VideoFormat FORMAT = new VideoFormat(Codec.H264, 320, 240, new byte[] {1, 0x42, 0, 0x1e});

    /** Frames every 40 ms from t=0 µs, a key frame every {@code gop} frames. */
    static List<Frame> frames(int count, int gop) {
        List<Frame> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Frame(FORMAT, 1, i * 3600L, i * 40_000L, i % gop == 0, new byte[] {0, 0, 0, 1, 0x65}));
        }
        return out;
    }

    @Test
    void startsAtTheLastKeyFrameAtOrBeforeTheTimeAndHoldsOneGop() {
        var gop = KeyFrameSeek.gopAt(frames(200, 50).iterator(), Instant.ofEpochSecond(0, 3_500_000_000L));
        assertThat(gop.peekFirst().wallMicros()).isEqualTo(2_000_000); // key frames at 0, 2 and 4 s
        assertThat(gop.peekFirst().keyFrame()).isTrue();
        assertThat(gop.peekLast().wallMicros()).isEqualTo(3_520_000); // the first frame after the time
        assertThat(gop).hasSize(39);
    }

    @Test
    void aTimeOnAKeyFrameStartsThere() {
        var gop = KeyFrameSeek.gopAt(frames(200, 50).iterator(), Instant.ofEpochSecond(4));
        assertThat(gop.peekFirst().wallMicros()).isEqualTo(4_000_000);
    }

    @Test
    void aTimeBeforeTheFramesStartsAtTheFirstKeyFrameAfterIt() {
        List<Frame> f = frames(120, 50).subList(3, 120);
        var gop = KeyFrameSeek.gopAt(f.iterator(), Instant.EPOCH);
        assertThat(gop).hasSize(1);
        assertThat(gop.peekFirst().wallMicros()).isEqualTo(2_000_000);
    }
}
