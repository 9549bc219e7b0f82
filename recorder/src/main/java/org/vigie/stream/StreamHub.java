package org.vigie.stream;

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
 * <p>The hub keeps the frames since the latest key frame (the current GOP, bounded by {@link #GOP_CACHE_FRAMES}) so
 * that a new viewer starts at once on a decodable picture instead of waiting up to a GOP.
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

    /** @param recorder where every frame is recorded, or a sink that ignores frames for a stream kept for viewing only */
    public StreamHub(StreamKey key, FrameSink recorder) {
        this.key = key;
        this.recorder = recorder;
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
            if (!gop.isEmpty() || frame.keyFrame()) {
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
     * Adds a live viewer with a queue of {@code capacity} frames, pre-filled with the current GOP when it fits.
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
        }
        return q;
    }

    public void unsubscribe(ViewerQueue q) {
        viewers.remove(q);
        q.close();
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
