package org.vigie.playback.privacy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.base.privacy.MaskSet;
import org.vigie.gst.mask.MaskedTranscoder;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.vigie.stream.StreamHub;
import org.vigie.stream.ViewerQueue;

/**
 * Live streams with privacy masks burned in, for the paths that send a camera's pictures to something other than the
 * operators' client (the RTSP re-stream, WebSocket clients that do not draw masks). One masked stream per (camera
 * stream, mask set), shared by all its viewers: started on the first {@link #acquire}, taking one transcoding slot
 * of {@link BurnIn}, stopped when the last {@link Lease} is closed.
 *
 * <p>A masked stream is a viewer of the camera's {@link StreamHub} (a bounded queue: when the transcoder lags, it
 * drops to the next key frame, never slowing ingest) drained by a thread of its own into a live
 * {@link MaskedTranscoder} ({@code tune=zerolatency}); the encoded pictures are published on a {@link StreamHub} of
 * their own, with the wall time of the camera's picture, which viewers subscribe to as to the camera's. A change of
 * picture format restarts the transcoder. Thread-safe.
 */
public final class MaskedHubs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MaskedHubs.class);
    /** Frames the transcoder may lag behind the camera before dropping to the next key frame. */
    static final int QUEUE_FRAMES = StreamHub.GOP_CACHE_FRAMES + 50;

    private final BurnIn burnIn;
    private final Map<Key, Masked> running = new HashMap<>();

    public MaskedHubs(BurnIn burnIn) {
        this.burnIn = burnIn;
    }

    private record Key(StreamKey stream, MaskSet masks) {
    }

    /** A viewer's hold on a masked stream; close it (once) when the viewer goes. */
    public final class Lease implements AutoCloseable {
        private final Masked masked;
        private boolean closed;

        private Lease(Masked masked) {
            this.masked = masked;
        }

        /** The masked stream's hub: subscribe to it as to the camera's. */
        public StreamHub hub() {
            return masked.hub;
        }

        public MaskSet masks() {
            return masked.key.masks();
        }

        @Override
        public void close() {
            synchronized (MaskedHubs.this) {
                if (closed) return;
                closed = true;
                if (--masked.leases > 0) return;
                running.remove(masked.key);
            }
            masked.stop();
        }
    }

    /**
     * A lease on the masked stream of {@code source} with {@code masks} (not empty), started if needed.
     *
     * @throws BurnIn.Busy every transcoding slot is taken
     */
    public Lease acquire(StreamHub source, MaskSet masks) throws BurnIn.Busy {
        if (masks.isEmpty()) throw new IllegalArgumentException("no mask to burn in");
        Key key = new Key(source.key(), masks);
        synchronized (this) {
            Masked m = running.get(key);
            if (m == null) {
                m = new Masked(key, source, burnIn.acquire());
                running.put(key, m);
                m.start();
            }
            m.leases++;
            return new Lease(m);
        }
    }

    /**
     * Moves a viewer to the masked stream of {@code source} with {@code masks} (the masks changed while it watched):
     * a lease on it, started if needed, then {@code old} closed. When the viewer was the last of its old stream, that
     * stream's transcoding slot goes to the new one (the old one stops at once), so a switch needs no free slot.
     *
     * @param old the viewer's lease now, or null (it watched the camera's own stream)
     * @throws BurnIn.Busy a new slot was needed and every one is taken ({@code old} is then kept)
     */
    public Lease switchTo(Lease old, StreamHub source, MaskSet masks) throws BurnIn.Busy {
        if (masks.isEmpty()) throw new IllegalArgumentException("no mask to burn in");
        Key key = new Key(source.key(), masks);
        Masked stopping = null;
        Lease lease;
        synchronized (this) {
            boolean oldOpen = old != null && !old.closed;
            Masked m = running.get(key);
            if (oldOpen && m == old.masked) return old; // the same stream
            if (m == null) {
                BurnIn.Slot slot;
                if (oldOpen && old.masked.leases == 1 && old.masked.handOverSlot()) {
                    slot = old.masked.slot;
                } else {
                    slot = burnIn.acquire();
                }
                m = new Masked(key, source, slot);
                running.put(key, m);
                m.start();
            }
            m.leases++;
            lease = new Lease(m);
            if (oldOpen) {
                old.closed = true;
                if (--old.masked.leases == 0) {
                    running.remove(old.masked.key);
                    stopping = old.masked;
                }
            }
        }
        if (stopping != null) stopping.stop();
        return lease;
    }

    /** The burn-in the masked streams share (the RTSP replay takes its slots there too). */
    public BurnIn burnIn() {
        return burnIn;
    }

    /** Masked live streams running now. */
    public synchronized int running() {
        return running.size();
    }

    @Override
    public void close() {
        Map<Key, Masked> all;
        synchronized (this) {
            all = new HashMap<>(running);
            running.clear();
        }
        all.values().forEach(Masked::stopAndWait);
    }

    /** One masked live stream. */
    private final class Masked implements MaskedTranscoder.Output {
        final Key key;
        final StreamHub source;
        final StreamHub hub;
        final BurnIn.Slot slot;
        final Thread pump;
        int leases;
        /** The slot went to the stream that replaced this one: the pump must not give it back. Guarded by the hubs. */
        private boolean slotHandedOver;
        /** The pump gave the slot back as it ended. Guarded by the hubs. */
        private boolean slotReturned;
        private volatile boolean stopped;
        private volatile ViewerQueue queue;
        private MaskedTranscoder transcoder; // pump thread only
        private VideoFormat inFormat; // pump thread only
        private long firstWall; // pump thread only
        private volatile long session;
        private volatile VideoFormat outFormat;
        private volatile long outFirstWall;

        Masked(Key key, StreamHub source, BurnIn.Slot slot) {
            this.key = key;
            this.source = source;
            this.slot = slot;
            // Always warm: this hub exists only while it is watched (stopped when its last lease is closed), so its
            // GOP cache lets a second viewer of the masked stream start at once and costs nothing otherwise. The
            // camera's own hub turns warm through this one's subscription to it.
            this.hub = new StreamHub(source.key(), new FrameSink() {
                @Override
                public void onFrame(Frame frame) {
                }

                @Override
                public void onSessionEnd(long sessionId) {
                }
            });
            this.pump = new Thread(this::run, "masked-" + source.key().cameraId());
            this.pump.setDaemon(true);
        }

        void start() {
            pump.start();
        }

        /** Under the hubs' lock: the slot goes to another stream, unless the pump already gave it back. */
        boolean handOverSlot() {
            if (slotReturned) return false;
            slotHandedOver = true;
            return true;
        }

        /**
         * Asks the pump to stop, without waiting (a lease may be closed on an event loop): the pump unsubscribes,
         * stops the transcoder and gives the slot back as it ends.
         */
        void stop() {
            stopped = true;
            LockSupport.unpark(pump);
        }

        /** Stops and waits for the pump (at shutdown). */
        void stopAndWait() {
            stop();
            try {
                pump.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void run() {
            ViewerQueue q = source.subscribe(QUEUE_FRAMES, () -> LockSupport.unpark(pump));
            queue = q;
            try {
                while (!stopped) {
                    Frame f = q.poll();
                    if (f == null) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                        continue;
                    }
                    push(f);
                }
            } catch (RuntimeException e) {
                LOG.warn("masked stream of {} stopped: {}", key.stream(), e.toString());
            } finally {
                source.unsubscribe(q);
                try {
                    closeTranscoder();
                } finally {
                    synchronized (MaskedHubs.this) {
                        if (!slotHandedOver) {
                            slot.close();
                            slotReturned = true;
                        }
                    }
                }
            }
        }

        private void push(Frame f) {
            if (transcoder == null || !f.format().equals(inFormat)) {
                if (!f.keyFrame()) return;
                closeTranscoder();
                inFormat = f.format();
                firstWall = f.wallMicros();
                outFirstWall = firstWall;
                session = f.wallMicros();
                Path png = burnIn.maskImage(key.masks(), f.format().width(), f.format().height());
                // the replay's settings: the source's frame rate declared, or x264 holds each picture back until
                // the next arrives (a live viewer one picture late)
                transcoder = MaskedTranscoder.start(f.format(), png, MaskedSender.settings(f.format()), 0,
                        this, key.stream().cameraId());
            }
            long pts = Math.max(0, f.wallMicros() - firstWall) * 1000;
            if (!transcoder.push(f.data(), pts, 40_000_000L)) {
                LOG.warn("masked stream of {}: the transcoder stopped; restarting at the next key frame", key.stream());
                closeTranscoder();
            }
        }

        private void closeTranscoder() {
            if (transcoder != null) {
                slot.framesEncoded(transcoder.framesEncoded());
                transcoder.close();
                transcoder = null;
                hub.onSessionEnd(session);
            }
        }

        @Override
        public void format(VideoFormat f) {
            outFormat = f;
        }

        @Override
        public void frame(byte[] au, long ptsNanos, long durationNanos, boolean keyFrame) {
            long wall = outFirstWall + ptsNanos / 1000;
            hub.onFrame(new Frame(outFormat, session, ptsNanos * 9 / 100_000, wall, keyFrame, au));
        }

        @Override
        public void end() {
        }

        @Override
        public void failed(String message) {
            LOG.warn("masked stream of {} failed: {}", key.stream(), message);
        }
    }
}
