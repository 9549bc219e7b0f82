package org.vigie.recorder.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.recorder.testing.SyntheticStream.SECOND;
import static org.vigie.recorder.testing.SyntheticStream.T0;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigie.recorder.testing.SyntheticStream;

/** A disk that fills up mid-fragment: the open segment is cut back to its last complete fragment. */
class WriteFailureTest {

    @TempDir
    Path storage;

    /**
     * Writes to the failing file: the segment ({@code .mp4}: init, then per fragment its streamed samples, flushed
     * when it closes here, and its head) or the index ({@code .idx}: one per fragment). Either way a write of the
     * third fragment is the one that fails: its samples (write 6), its head (7) or its index entry (3).
     */
    @ParameterizedTest(name = "failing write {1} of {0}")
    @CsvSource({".mp4, 6", ".mp4, 7", ".idx, 3"})
    void failedWriteCutsTheSegmentBackAndRecordingResumesAtTheNextKeyFrame(String file, int failAt)
            throws IOException {
        FaultyFileChannel.Opener opener = new FaultyFileChannel.Opener(file, failAt);
        StreamFixture fx = new StreamFixture(storage);
        StreamRecorder recorder = new StreamRecorder(StreamFixture.KEY, fx.config, fx.catalog, StreamFixture.CLOCK,
                fx.counters, opener);
        SyntheticStream g = new SyntheticStream(SyntheticStream.h264(640, 360), 1, T0, 25, 25);
        for (int i = 0; i < 151; i++) { // frame 150, a key frame, triggers the third fragment's write
            recorder.onFrame(g.next(), false);
        }
        assertThat(fx.counters.writeErrors.get()).isEqualTo(1);
        opener.heal();
        for (int i = 151; i < 300; i++) {
            recorder.onFrame(g.next(), false);
        }
        recorder.onSessionEnd();

        List<SegmentInfo> segs = fx.catalog.segments(StreamFixture.KEY);
        assertThat(segs).hasSize(2);
        assertThat(segs.get(0).fragmentCount()).isEqualTo(2);
        assertThat(Files.size(segs.get(0).segment())).isEqualTo(segs.get(0).bytes());
        assertThat(TimeIndex.read(segs.get(0).index())).hasSize(2);
        assertThat(segs.get(1).startMicros()).isEqualTo(T0 + 7 * SECOND); // frames 151-174 wait for a key frame
        assertThat(fx.counters.framesSkipped.get()).isEqualTo(24);
        assertThat(StorageChecker.check(storage)).isEmpty();
        assertThat(Catalog.load(storage).segments(StreamFixture.KEY)).isEqualTo(segs);
    }
}
