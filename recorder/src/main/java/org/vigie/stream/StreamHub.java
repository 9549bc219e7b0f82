package org.vigie.stream;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;

/**
 * One stream's fan-out point: the camera is pulled once, and every frame goes to the recorder and to each live
 * viewer's {@link ViewerQueue}. Neither the recorder's sink nor a viewer queue ever blocks, so a slow viewer can
 * cost only its own frames.
 *
 * <p>A <em>warm</em> hub keeps the frames since the latest key frame (the current GOP, bounded by
 * {@link #GOP_CACHE_FRAMES}) so that a new viewer starts at once on a decodable picture instead of waiting up to a
 * GOP. A hub is warm while it has a viewer and for {@code gopCacheIdle} after its last viewer subscribed or left;
 * a <em>cold</em> hub holds no frame (at 25 fps a GOP is up to 250 frames, the largest part of a recorded stream's
 * memory), and its first viewer starts at the next key frame (every {@link ViewerQueue} waits for one). The first
 * subscribe makes a hub warm, the cache refilling from the next key frame; the first frame after the idle time
 * drops it (no timer).
 *
 * <p>{@link #onFrame} and {@link #onSessionEnd} are called by one ingest thread at a time; {@link #subscribe} and
 * {@link #unsubscribe} from any thread. The producer side of every viewer queue runs under the hub's lock (held for
 * a few list operations per frame, uncontended but for subscriptions).
 */
public final class StreamHub implements FrameSink {

    /** Longest GOP cached for fast start (10 s at 25 fps); longer GOPs start at the next key frame. */
    public static final int GOP_CACHE_FRAMES = 250;

    private final StreamKey key;
    private final FrameSink recorder;
    private final CopyOnWriteArrayList<ViewerQueue> viewers = new CopyOnWriteArrayList<>();
    private final List<Frame> gop = new ArrayList<>();
    private volatile Frame lastKeyFrame;
    private final InstantSource clock;
    private final long idleMillis; // Long.MAX_VALUE: always warm; 0: never caches
    private boolean warm; // guarded by gop
    private long lastViewerMillis; // guarded by gop: when a viewer last subscribed or left

    /**
     * A hub that caches the GOP while it is watched and for {@code gopCacheIdle} after (see the class comment).
     *
     * @param recorder     where every frame is recorded, or a sink that ignores frames for a stream kept for viewing
     *                     only
     * @param clock        tells the idle time
     * @param gopCacheIdle how long the GOP stays cached after the last viewer subscribed or left; zero: never cached
     */
    public StreamHub(StreamKey key, FrameSink recorder, InstantSource clock, Duration gopCacheIdle) {
        if (gopCacheIdle.isNegative()) throw new IllegalArgumentException("negative gopCacheIdle: " + gopCacheIdle);
        this.key = key;
        this.recorder = recorder;
        this.clock = clock;
        this.idleMillis = gopCacheIdle.toMillis();
    }

    /**
     * A hub that is always warm: for a stream that exists only while it is watched (e.g. a masked transcoding's),
     * where the cache costs nothing when nobody watches.
     */
    public StreamHub(StreamKey key, FrameSink recorder) {
        this.key = key;
        this.recorder = recorder;
        this.clock = InstantSource.system();
        this.idleMillis = Long.MAX_VALUE;
        this.warm = true;
    }

    public StreamKey key() {
        return key;
    }

    @Override
    public void onFrame(Frame frame) {
        recorder.onFrame(frame);
        synchronized (gop) {
            if (frame.keyFrame()) {
                gop.clear();
                lastKeyFrame = frame;
            }
            if (warm && viewers.isEmpty() && idleMillis != Long.MAX_VALUE
                    && clock.millis() - lastViewerMillis >= idleMillis) {
                warm = false; // idle: drop the cache
                gop.clear();
            }
            if (warm && (!gop.isEmpty() || frame.keyFrame())) {
                if (gop.size() < GOP_CACHE_FRAMES) gop.add(frame);
                else gop.clear();
            }
            // Under the same lock as subscribe's pre-fill, so a new viewer gets each frame exactly once.
            for (ViewerQueue v : viewers) {
                v.offer(frame);
            }
        }
    }

    @Override
    public void onSessionEnd(long sessionId) {
        recorder.onSessionEnd(sessionId);
        synchronized (gop) {
            gop.clear();
            for (ViewerQueue v : viewers) {
                v.sessionEnded();
            }
        }
    }

    /**
     * Adds a live viewer with a queue of {@code capacity} frames, pre-filled with the current GOP when the hub is
     * warm and it fits (a cold hub's viewer starts at the next key frame, and the hub turns warm).
     * {@code onReadable} is called when new frames arrive (see {@link ViewerQueue}); the pre-filled frames are not
     * signalled, because the subscriber does not hold the queue yet: <b>drain it once after storing it</b>.
     */
    public ViewerQueue subscribe(int capacity, Runnable onReadable) {
        ViewerQueue q = new ViewerQueue(capacity, onReadable);
        synchronized (gop) {
            if (gop.size() < capacity) {
                for (Frame f : gop) q.prefill(f);
            }
            viewers.add(q);
            viewerSeen();
        }
        return q;
    }

    public void unsubscribe(ViewerQueue q) {
        synchronized (gop) {
            if (viewers.remove(q)) viewerSeen();
        }
        q.close();
    }

    private void viewerSeen() {
        if (idleMillis == Long.MAX_VALUE) return;
        lastViewerMillis = clock.millis();
        if (idleMillis > 0) warm = true;
    }

    /** Frames held by the GOP cache (none while the hub is cold). */
    int cachedFrames() {
        synchronized (gop) {
            return gop.size();
        }
    }

    public int viewerCount() {
        return viewers.size();
    }

    /** Frames the current viewers' queues have dropped so far: what slow viewers cost themselves (and only them). */
    public long viewerFramesDropped() {
        return viewers.stream().mapToLong(ViewerQueue::dropped).sum();
    }

    /** The latest key frame seen (for snapshots), or null. */
    public Frame lastKeyFrame() {
        return lastKeyFrame;
    }
}
