package org.vigie.playback.ws;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.vigie.media.Frame;
import org.vigie.stream.StreamHub;
import org.vigie.stream.ViewerQueue;

/**
 * A live channel: one more subscriber of the camera stream's {@link StreamHub} (the camera is never pulled twice).
 * The hub's ingest thread only offers frames to this viewer's bounded {@link ViewerQueue} and, when the queue goes
 * from empty to non-empty, schedules {@link #drain()} on the connection's event loop; the drain writes while the
 * connection {@linkplain Channel#isWritable() is writable} and stops otherwise, so a slow reader lets its queue fill,
 * and the queue drops frames up to the next key frame and counts them: ingest, recording and the other viewers
 * never wait for it. {@link #resume()} continues on {@code channelWritabilityChanged}.
 *
 * <p>Thread confinement: everything but the {@code onReadable} callback runs on the connection's event loop.
 * Invariant: at most {@link #BATCH} frames are written per event-loop task (then the drain re-schedules itself), so
 * one busy channel cannot starve the other channels of its event loop.
 */
final class LiveChannel implements ViewChannel {

    /** Frames queued per viewer: 4 s at 25 fps before drops start; holds the hub's cached GOP for a fast start. */
    static final int QUEUE_FRAMES = 100;
    static final int BATCH = 16;
    /** Least interval between two {@code dropped} events of a channel. */
    static final long DROP_REPORT_NANOS = 1_000_000_000L;

    private final ChannelOutput out;
    private StreamHub hub;
    private final EventLoop loop;
    private final WriteObserver observer;
    private ViewerQueue queue;
    private long reportedDrops;
    private long lastDropReport;
    private boolean closed;
    /** Run once when the channel closes (the release of a masked stream), or null. */
    private AutoCloseable onClose;
    /** Frames dropped by the queues of the hubs this channel watched before a switch. */
    private long droppedBefore;

    @Override
    public ChannelOutput output() {
        return out;
    }

    LiveChannel(ChannelOutput out, StreamHub hub, WriteObserver observer) {
        this(out, hub, observer, null);
    }

    /** @param onClose closed once when the channel closes (a masked stream's lease), or null */
    LiveChannel(ChannelOutput out, StreamHub hub, WriteObserver observer, AutoCloseable onClose) {
        this.onClose = onClose;
        this.out = out;
        this.hub = hub;
        this.loop = out.channel().eventLoop();
        this.observer = observer;
    }

    @Override
    public int id() {
        return out.id();
    }

    @Override
    public org.vigie.media.StreamKey key() {
        return out.key();
    }

    @Override
    public boolean archive() {
        return false;
    }

    @Override
    public void start() {
        queue = hub.subscribe(QUEUE_FRAMES, () -> loop.execute(this::drain));
        loop.execute(this::drain); // the cached GOP is queued without a signal
    }

    void drain() {
        if (closed) return;
        Channel ch = out.channel();
        int n = 0;
        while (n < BATCH && ch.isWritable()) {
            Frame f = queue.poll();
            if (f == null) break;
            var future = out.send(f);
            if (observer != null) {
                future.addListener(x -> {
                    if (x.isSuccess()) observer.written(out.key(), f, System.nanoTime());
                });
            }
            n++;
        }
        if (n > 0) ch.flush();
        reportDrops();
        if (n == BATCH && ch.isWritable()) {
            loop.execute(this::drain); // more may wait: yield to the loop's other tasks first
        }
    }

    private void reportDrops() {
        long d = droppedBefore + queue.dropped();
        long now = System.nanoTime();
        if (d != reportedDrops && now - lastDropReport >= DROP_REPORT_NANOS && out.channel().isWritable()) {
            reportedDrops = d;
            lastDropReport = now;
            var e = out.event("dropped");
            e.put("frames", d);
            out.writeAndFlush(e);
        }
    }

    @Override
    public void resume() {
        drain();
    }

    /** The masked stream's lease this channel holds (see {@link #switchTo}), or null. */
    AutoCloseable lease() {
        return onClose;
    }

    /**
     * Watches another hub from now on (the privacy masks changed: another masked stream, or the camera's own): the
     * old hub's queue is dropped (frames not yet sent are not sent), the old lease closed unless it is the new one
     * (a lease handed over is closed by whoever handed it over), and the new hub's cached GOP comes first, so the
     * client gets a key frame (and an init segment when the format changed) first. On the event loop.
     */
    void switchTo(StreamHub newHub, AutoCloseable newOnClose) {
        if (closed) throw new IllegalStateException("closed");
        if (queue != null) {
            hub.unsubscribe(queue);
            droppedBefore += queue.dropped();
        }
        AutoCloseable old = onClose;
        hub = newHub;
        onClose = newOnClose;
        if (old != null && old != newOnClose) {
            try {
                old.close();
            } catch (Exception e) {
                throw new IllegalStateException("releasing the masked stream of " + out.key() + " failed", e);
            }
        }
        start();
    }

    @Override
    public void command(Command c) throws ChannelRefusedException {
        throw new ChannelRefusedException(400, "'" + c.op() + "' applies to archive channels only");
    }

    @Override
    public long dropped() {
        return droppedBefore + (queue == null ? 0 : queue.dropped());
    }

    @Override
    public long sent() {
        return out.framesSent();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (queue != null) hub.unsubscribe(queue);
        if (onClose != null) {
            try {
                onClose.close();
            } catch (Exception e) {
                throw new IllegalStateException("releasing the masked stream of " + out.key() + " failed", e);
            }
        }
    }
}
