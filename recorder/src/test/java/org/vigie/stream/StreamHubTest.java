package org.vigie.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;

class StreamHubTest {

    private static final VideoFormat FORMAT = new VideoFormat(Codec.H264, 320, 240, new byte[] {1, 0x4d, 0, 0x1f, -1});

    private static Frame frame(int n, boolean key) {
        return new Frame(FORMAT, 1, n * 3600L, 1_000_000L + n * 40_000L, key, new byte[] {0, 0, 0, 1, (byte) n});
    }

    static final class CountingSink implements FrameSink {
        final List<Frame> frames = new ArrayList<>();
        int sessionEnds;

        @Override
        public void onFrame(Frame frame) {
            frames.add(frame);
        }

        @Override
        public void onSessionEnd(long sessionId) {
            sessionEnds++;
        }
    }

    @Test
    void everyFrameReachesTheRecorderWhateverTheViewers() {
        CountingSink rec = new CountingSink();
        StreamHub hub = new StreamHub(StreamKey.main("c"), rec);
        ViewerQueue stalled = hub.subscribe(4, () -> { });
        for (int i = 0; i < 1000; i++) hub.onFrame(frame(i, i % 50 == 0));
        assertThat(rec.frames).hasSize(1000);
        assertThat(stalled.size()).isEqualTo(4);
        assertThat(stalled.dropped()).isEqualTo(996);
    }

    @Test
    void aFullViewerSkipsToTheNextKeyFrameAndCountsTheDrops() {
        StreamHub hub = new StreamHub(StreamKey.main("c"), new CountingSink());
        ViewerQueue q = hub.subscribe(10, () -> { });
        for (int i = 0; i < 12; i++) hub.onFrame(frame(i, i == 0)); // 10 queued, 2 dropped
        assertThat(q.dropped()).isEqualTo(2);
        List<Frame> got = new ArrayList<>();
        for (Frame f; (f = q.poll()) != null; ) got.add(f);
        assertThat(got).hasSize(10);
        for (int i = 12; i < 20; i++) hub.onFrame(frame(i, false)); // still waiting for a key frame: dropped
        assertThat(q.poll()).isNull();
        hub.onFrame(frame(20, true));
        hub.onFrame(frame(21, false));
        assertThat(q.poll().keyFrame()).isTrue();
        assertThat(q.poll().mediaTime90k()).isEqualTo(21 * 3600L);
        assertThat(q.dropped()).isEqualTo(10);
    }

    @Test
    void aNewViewerStartsOnTheCachedGopAndGetsEachFrameOnce() {
        StreamHub hub = new StreamHub(StreamKey.main("c"), new CountingSink());
        for (int i = 0; i < 60; i++) hub.onFrame(frame(i, i % 50 == 0)); // GOP since frame 50: 10 frames
        ViewerQueue q = hub.subscribe(100, () -> { });
        hub.onFrame(frame(60, false));
        List<Long> times = new ArrayList<>();
        for (Frame f; (f = q.poll()) != null; ) times.add(f.mediaTime90k() / 3600);
        assertThat(times).containsExactly(50L, 51L, 52L, 53L, 54L, 55L, 56L, 57L, 58L, 59L, 60L);
    }

    @Test
    void theReadableSignalComesOncePerDrainNotPerFrame() {
        AtomicInteger signals = new AtomicInteger();
        StreamHub hub = new StreamHub(StreamKey.main("c"), new CountingSink());
        ViewerQueue q = hub.subscribe(100, signals::incrementAndGet);
        for (int i = 0; i < 10; i++) hub.onFrame(frame(i, i == 0));
        assertThat(signals).hasValue(1);
        while (q.poll() != null) { }
        hub.onFrame(frame(10, false));
        assertThat(signals).hasValue(2);
    }

    @Test
    void thePrefilledGopIsNotSignalledBecauseTheSubscriberDoesNotHoldTheQueueYet() {
        StreamHub hub = new StreamHub(StreamKey.main("c"), new CountingSink());
        for (int i = 0; i < 5; i++) hub.onFrame(frame(i, i == 0));
        AtomicInteger signals = new AtomicInteger();
        ViewerQueue[] held = new ViewerQueue[1];
        List<Frame> got = new ArrayList<>();
        Runnable drain = () -> {
            signals.incrementAndGet();
            if (held[0] == null) return; // what a drain scheduled before the field is set sees
            for (Frame f; (f = held[0].poll()) != null; ) got.add(f);
        };
        held[0] = hub.subscribe(100, drain);
        assertThat(signals).as("no signal while subscribing").hasValue(0);
        drain.run(); // the subscriber's first drain, after storing the queue
        assertThat(got).hasSize(5);
        hub.onFrame(frame(5, false));
        assertThat(got).as("later frames are signalled again").hasSize(6);
    }

    @Test
    void afterASessionEndViewersWaitForAKeyFrame() {
        CountingSink rec = new CountingSink();
        StreamHub hub = new StreamHub(StreamKey.main("c"), rec);
        ViewerQueue q = hub.subscribe(100, () -> { });
        hub.onFrame(frame(0, true));
        hub.onSessionEnd(1);
        hub.onFrame(frame(1, false));
        assertThat(rec.sessionEnds).isEqualTo(1);
        assertThat(q.poll().mediaTime90k()).isZero();
        assertThat(q.poll()).isNull();
        assertThat(hub.subscribe(100, () -> { }).size()).as("no GOP cached after a session end").isZero();
    }

    @Test
    void unsubscribedViewersReceiveNothing() {
        StreamHub hub = new StreamHub(StreamKey.main("c"), new CountingSink());
        ViewerQueue q = hub.subscribe(100, () -> { });
        hub.unsubscribe(q);
        hub.onFrame(frame(0, true));
        assertThat(q.poll()).isNull();
        assertThat(hub.viewerCount()).isZero();
    }

    // --- the GOP cache kept only for a warm stream (issue 11: memory per camera) ---

    private static final Duration IDLE = Duration.ofMinutes(10);
    private final AtomicLong nowMillis = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(nowMillis.get());

    private static List<Long> drain(ViewerQueue q) {
        List<Long> frames = new ArrayList<>();
        for (Frame f; (f = q.poll()) != null; ) frames.add(f.mediaTime90k() / 3600);
        return frames;
    }

    @Test
    void aColdHubHoldsNoFrameAndItsFirstViewerStartsAtTheNextKeyFrame() {
        StreamHub hub = new StreamHub(StreamKey.main("c"), new CountingSink(), clock, IDLE);
        for (int i = 0; i < 60; i++) hub.onFrame(frame(i, i % 50 == 0));
        assertThat(hub.cachedFrames()).as("frames cached by a never-watched hub").isZero();
        assertThat(hub.lastKeyFrame().mediaTime90k()).as("snapshots keep the last key frame").isEqualTo(50 * 3600L);
        ViewerQueue q = hub.subscribe(100, () -> { });
        assertThat(q.size()).isZero();
        for (int i = 60; i < 102; i++) hub.onFrame(frame(i, i % 50 == 0));
        assertThat(drain(q)).as("the first viewer's frames").startsWith(100L, 101L).hasSize(2);
        assertThat(q.dropped()).as("frames before a viewer's first key frame are not drops").isZero();
        assertThat(hub.cachedFrames()).as("the first subscribe warms the hub from the next key frame").isEqualTo(2);
    }

    @Test
    void aWarmHubPrefillsANewViewerWithTheGop() {
        StreamHub hub = new StreamHub(StreamKey.main("c"), new CountingSink(), clock, IDLE);
        hub.unsubscribe(hub.subscribe(100, () -> { }));
        nowMillis.addAndGet(IDLE.toMillis() - 1);
        for (int i = 0; i < 60; i++) hub.onFrame(frame(i, i % 50 == 0));
        assertThat(drain(hub.subscribe(100, () -> { }))).containsExactly(50L, 51L, 52L, 53L, 54L, 55L, 56L, 57L, 58L,
                59L);
    }

    @Test
    void theCacheIsDroppedAtTheFirstFrameAfterTheIdleTimeWithNoViewer() {
        StreamHub hub = new StreamHub(StreamKey.main("c"), new CountingSink(), clock, IDLE);
        ViewerQueue q = hub.subscribe(1000, () -> { });
        nowMillis.addAndGet(Duration.ofHours(1).toMillis()); // watched for an hour: warm all along
        for (int i = 0; i < 10; i++) hub.onFrame(frame(i, i == 0));
        assertThat(hub.cachedFrames()).isEqualTo(10);
        hub.unsubscribe(q); // the idle time counts from here
        nowMillis.addAndGet(IDLE.toMillis() - 1);
        hub.onFrame(frame(10, false));
        assertThat(hub.cachedFrames()).as("before the idle time").isEqualTo(11);
        nowMillis.incrementAndGet();
        hub.onFrame(frame(11, false));
        assertThat(hub.cachedFrames()).as("at the idle time").isZero();
        hub.onFrame(frame(12, true));
        assertThat(hub.cachedFrames()).as("cold: the next GOP is not cached").isZero();
        assertThat(hub.subscribe(100, () -> { }).size()).isZero();
    }

    @Test
    void zeroIdleNeverCaches() {
        StreamHub hub = new StreamHub(StreamKey.main("c"), new CountingSink(), clock, Duration.ZERO);
        ViewerQueue first = hub.subscribe(100, () -> { });
        for (int i = 0; i < 60; i++) hub.onFrame(frame(i, i % 50 == 0));
        assertThat(hub.cachedFrames()).isZero();
        assertThat(drain(first)).hasSize(60);
        ViewerQueue second = hub.subscribe(100, () -> { });
        hub.onFrame(frame(60, false));
        hub.onFrame(frame(100, true));
        assertThat(drain(second)).as("a later viewer starts at the next key frame").containsExactly(100L);
    }
}
