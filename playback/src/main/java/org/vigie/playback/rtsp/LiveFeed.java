package org.vigie.playback.rtsp;

import io.netty.channel.EventLoop;
import org.vigie.media.Frame;
import org.vigie.rtsp.server.RtpSender;
import org.vigie.stream.StreamHub;
import org.vigie.stream.ViewerQueue;

/**
 * A live session's feed: a {@link ViewerQueue} of the camera stream's {@link StreamHub} (the camera is never pulled
 * twice), drained on the RTSP connection's event loop while the client keeps up. When the client's connection is
 * not writable the drain stops; the viewer queue then fills and drops frames until the next key frame (counted),
 * so a slow client costs only its own frames, never ingest, recording or other viewers.
 *
 * <p>RTP timestamps follow the frames' wall clock ({@link RtpSender#timestamp}), which stays continuous across
 * camera reconnections and across a {@link #switchTo} (a masked stream's pictures carry the camera's wall times).
 * Thread confinement: {@link #drain} runs on {@code loop} only; play/pause/switch/close from any thread.
 */
final class LiveFeed implements Feed {

    /** Frames a live viewer may lag before dropping to the next key frame: 2 s at 25 fps, plus a full cached GOP. */
    static final int QUEUE_FRAMES = StreamHub.GOP_CACHE_FRAMES + 50;

    private volatile StreamHub hub;
    private final RtpSender rtp;
    private final EventLoop loop;
    private final int timestampBase;
    private volatile ViewerQueue queue;
    private volatile long droppedBefore;
    /** Wall time (µs) of the last frame sent; loop only. */
    private long lastSentWall = Long.MIN_VALUE;
    /**
     * After a {@link #switchTo}: nothing is sent until a key frame of the new stream later than every frame already
     * sent ({@code lastSentWall}), so the client decodes from it and its clock never goes back.
     */
    private volatile boolean awaitKey;

    LiveFeed(StreamHub hub, RtpSender rtp, EventLoop loop, int timestampBase) {
        this.hub = hub;
        this.rtp = rtp;
        this.loop = loop;
        this.timestampBase = timestampBase;
    }

    synchronized void play() {
        if (queue == null) {
            queue = hub.subscribe(QUEUE_FRAMES, () -> loop.execute(this::drain));
            loop.execute(this::drain); // the cached GOP is queued without a signal
        }
    }

    private void drain() {
        ViewerQueue q = queue;
        if (q == null) return;
        while (rtp.isWritable()) {
            Frame f = q.poll();
            if (f == null) break;
            if (awaitKey) {
                if (!f.keyFrame() || f.wallMicros() <= lastSentWall) continue; // the old stream's last GOP stands
                awaitKey = false;
            }
            lastSentWall = f.wallMicros();
            rtp.sendFrame(f, RtpSender.timestamp(f.wallMicros(), timestampBase), null);
        }
    }

    /**
     * Sends {@code newHub}'s pictures from now on (the camera's privacy masks changed: another masked stream, or the
     * camera's own): the old hub's queued frames are dropped and the new hub's are sent from its first key frame
     * later than the last frame sent, its parameter sets in front ({@link RtpSender#sendFrame}), on the same RTP
     * stream (sequence numbers and clock continue). A paused feed plays the new hub at the next PLAY.
     */
    synchronized void switchTo(StreamHub newHub) {
        if (newHub == hub) return; // a new version of the same masks' stream, or still none: nothing to switch
        StreamHub oldHub = hub;
        ViewerQueue old = queue;
        hub = newHub;
        awaitKey = true;
        if (old == null) return;
        queue = null;
        droppedBefore += old.dropped();
        oldHub.unsubscribe(old);
        queue = newHub.subscribe(QUEUE_FRAMES, () -> loop.execute(this::drain));
        loop.execute(this::drain); // the new hub's cached GOP is queued without a signal
    }

    @Override
    public void onWritable() {
        if (queue != null) loop.execute(this::drain);
    }

    @Override
    public synchronized void pause() {
        ViewerQueue q = queue;
        if (q != null) {
            queue = null;
            droppedBefore += q.dropped();
            hub.unsubscribe(q);
        }
    }

    @Override
    public long dropped() {
        ViewerQueue q = queue;
        return droppedBefore + (q == null ? 0 : q.dropped());
    }

    @Override
    public void close() {
        pause();
    }
}
