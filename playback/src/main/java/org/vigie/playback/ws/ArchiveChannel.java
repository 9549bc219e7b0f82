package org.vigie.playback.ws;

import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.base.privacy.MaskSet;
import org.vigie.media.Frame;
import org.vigie.playback.archive.ArchiveReplay;
import org.vigie.playback.privacy.BurnIn;
import org.vigie.playback.privacy.MaskedSender;
import org.vigie.recorder.storage.ArchiveReader;

/**
 * An archive channel: the {@link ArchiveReplay} engine (from the key frame at or before the requested time, paced at
 * real time x rate, 1/4 to 16, key frames only above 4; pause, resume, seek, speed and step) writing into the
 * channel's {@link ChannelOutput} on the replay executor, never on an event loop. When the connection is not
 * writable the replay waits and {@link #resume()} (on {@code channelWritabilityChanged}) kicks it again: a slow
 * reader slows its own replay, nothing else.
 *
 * <p>At the end of what is recorded the channel waits for more (the recording goes on) and sends {@code ended}
 * after {@link #ENDED_AFTER_NANOS} without a new frame; with {@code thenLive} it switches to the camera's live hub
 * instead, keeping its timeline. Control messages arrive on the event loop; the replay does its own locking.
 * {@code pause} is acknowledged ({@code paused}) after the last frame sent before it, {@code resume} ({@code resumed})
 * before the first frame sent after it.
 *
 * <p>Masked (issue 14): for a connection that does not draw privacy masks, the frames of a camera with masks in force
 * pass through a {@link MaskedSender} (decoded, masked, re-encoded; one transcoding slot held while masked) and the
 * channel sends the encoded pictures, from the transcoder's thread. The replay waits while the encoder lags by
 * {@link MaskedSender#MAX_PENDING} pictures (paced by the encoder, never blocking the replay executor), and
 * {@code paused} waits until the pictures pushed before the pause are sent. A change of masks
 * ({@link #masks(MaskSet, BurnIn.Slot)}) switches the channel at the next key frame: to the new masks, or to the
 * recorded bytes when none is left.
 */
final class ArchiveChannel implements ViewChannel {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveChannel.class);

    static final long ENDED_AFTER_NANOS = 3_000_000_000L;

    private final ChannelOutput out;
    private final ArchiveReplay replay;
    private final boolean thenLive;
    private final Consumer<ArchiveChannel> switchToLive;
    private final Instant from;
    /** The requested speed (set on the event loop, applied to the muxer by the replay thread). */
    private volatile double rate;
    private volatile boolean paused;
    /** Whether {@code ended} was sent since the last seek (touched on the replay executor and by a seek). */
    private volatile boolean ended;
    private final ScheduledExecutorService executor;
    /** Burns masks in for a connection that does not draw them; null when the endpoint has no burn-in. */
    private final BurnIn burnIn;
    /** The masked re-encode the frames pass through, or null (the recorded bytes). Guarded by "this". */
    private MaskedSender masked;
    /** After a switch to the recorded bytes: nothing is sent before a key frame. Guarded by "this". */
    private boolean awaitKey;

    /** @param switchToLive called (on the replay executor) when the live edge is reached and thenLive was asked */
    ArchiveChannel(ChannelOutput out, ArchiveReader archive, ScheduledExecutorService executor, Instant from,
                   double rate, boolean thenLive, Consumer<ArchiveChannel> switchToLive) {
        this(out, archive, executor, from, rate, thenLive, switchToLive, null, null);
    }

    /**
     * @param burnIn the burn-in of a connection that does not draw masks, or null
     * @param slot   a transcoding slot of {@code burnIn} when the masks of {@code out} are burned in from the start
     *               (the channel owns it), or null for the recorded bytes
     */
    ArchiveChannel(ChannelOutput out, ArchiveReader archive, ScheduledExecutorService executor, Instant from,
                   double rate, boolean thenLive, Consumer<ArchiveChannel> switchToLive, BurnIn burnIn,
                   BurnIn.Slot slot) {
        this.out = out;
        this.executor = executor;
        this.burnIn = burnIn;
        if (slot != null) {
            masked = new MaskedSender(out.masks(), burnIn, slot, this::sendMasked);
            out.burnedIn(true);
        }
        this.thenLive = thenLive;
        this.switchToLive = switchToLive;
        this.from = from;
        this.rate = rate;
        this.replay = new ArchiveReplay(archive, out.key(), new Sink(), executor, System::nanoTime);
        out.muxer().rate(rate);
    }

    /** The replay's frames into the channel's output. */
    private final class Sink implements ArchiveReplay.Sink {
        @Override
        public boolean writable() {
            MaskedSender m = masked();
            return out.channel().isWritable() && (m == null || m.pending() < MaskedSender.MAX_PENDING);
        }

        @Override
        public void send(Frame frame, boolean discontinuity) {
            MaskedSender m;
            synchronized (ArchiveChannel.this) {
                m = masked;
                if (m == null && awaitKey) {
                    if (!frame.keyFrame()) return;
                    awaitKey = false;
                }
            }
            if (m != null) {
                m.send(frame, discontinuity);
                return;
            }
            synchronized (out) {
                out.muxer().rate(rate); // a speed change takes effect at the next frame, on this thread
                out.send(frame);
            }
            lastWall = frame.wallMicros();
        }

        @Override
        public void flush() {
            out.channel().flush();
        }

        @Override
        public boolean atRecordedEnd(long idleNanos) {
            if (thenLive) {
                replay.close();
                closeMasked();
                switchToLive.accept(ArchiveChannel.this);
                return false;
            }
            if (idleNanos < ENDED_AFTER_NANOS) return true; // the recording may go on
            if (!ended) {
                ended = true;
                var e = out.event("ended");
                if (lastWall != Long.MIN_VALUE) {
                    e.put("at", Instant.EPOCH.plus(lastWall, java.time.temporal.ChronoUnit.MICROS).toString());
                }
                out.writeAndFlush(e);
            }
            return false; // a seek kicks again
        }

        @Override
        public void seeked(Instant to) {
            synchronized (out) {
                out.muxer().discontinuity();
            }
            var e = out.event("seeked");
            e.put("to", to.toString());
            out.write(e);
        }

        @Override
        public void failed(Exception e) {
            LOG.warn("archive replay of {} failed", out.key(), e);
            var ev = out.event("error");
            ev.put("status", 500).put("message", "archive read failed: " + e.getMessage());
            out.writeAndFlush(ev);
        }
    }

    /** The wall time of the last frame sent, for the {@code ended} and {@code paused} events. */
    private volatile long lastWall = Long.MIN_VALUE;

    /** A picture of the masked re-encode, on the transcoder's thread. */
    private void sendMasked(Frame frame, boolean discontinuity) {
        synchronized (out) {
            if (discontinuity) out.muxer().discontinuity();
            out.muxer().rate(rate);
            out.send(frame);
        }
        lastWall = frame.wallMicros();
        out.channel().flush();
    }

    private synchronized MaskedSender masked() {
        return masked;
    }

    /**
     * The channel's masks changed (on the event loop): from the next key frame the replay burns {@code now} in, or
     * sends the recorded bytes when {@code now} is empty; the client gets a {@code masks} event naming the version.
     *
     * @param slot a transcoding slot, given when the channel was not masked and {@code now} is not empty (the
     *             channel owns it), else null
     */
    void masks(MaskSet now, BurnIn.Slot slot) {
        MaskedSender old = null;
        synchronized (this) {
            if (now.isEmpty()) {
                old = masked;
                masked = null;
                awaitKey = old != null;
            } else if (masked != null) {
                masked.masks(now);
            } else {
                masked = new MaskedSender(now, burnIn, slot, this::sendMasked);
            }
        }
        if (old != null) old.close();
        out.burnedIn(!now.isEmpty());
        out.masks(now);
    }

    /** Whether the frames pass through the masked re-encode now. */
    boolean burnsIn() {
        return masked() != null;
    }

    private void closeMasked() {
        MaskedSender m;
        synchronized (this) {
            m = masked;
            masked = null;
        }
        if (m != null) m.close();
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
        return true;
    }

    @Override
    public ChannelOutput output() {
        return out;
    }

    @Override
    public void start() {
        replay.seekLater(from);
        replay.play(rate, true);
    }

    @Override
    public void resume() {
        replay.kick();
    }

    @Override
    public void command(Command c) throws ChannelRefusedException {
        switch (c.op()) {
            case "pause" -> {
                paused = true;
                replay.pause();
                acknowledgePause();
            }
            case "resume" -> {
                paused = false;
                var e = out.event("resumed");
                e.put("rate", rate);
                out.writeAndFlush(e); // on the event loop: before any frame the replay sends from now
                replay.play(rate, true);
            }
            case "speed" -> {
                rate = c.rate();
                replay.rate(rate);
            }
            case "seek" -> {
                ended = false;
                replay.seekLater(c.to());
            }
            case "step" -> {
                if (!paused) throw new ChannelRefusedException(400, "'step' needs a paused channel");
                replay.step();
            }
            default -> throw new ChannelRefusedException(400, "'" + c.op() + "' is not a channel command");
        }
    }

    /**
     * Sends {@code paused} once no frame can follow it: {@link ArchiveReplay#pause()} returns when no step is sending
     * (it takes the replay's monitor), so every frame sent before the pause is already queued on the connection's
     * event loop by the replay thread; the event is queued behind them. A client that has the event has every frame
     * sent before the pause, and gets none after it until {@code step} or {@code resume}.
     */
    private void acknowledgePause() {
        acknowledgePause(0);
    }

    /** Waits (on the replay executor, up to about a second) until the encoder gave back what was pushed. */
    private void acknowledgePause(int polls) {
        MaskedSender m = masked();
        if (m != null && m.pending() > 0 && polls < 100) {
            executor.schedule(() -> acknowledgePause(polls + 1), 10, java.util.concurrent.TimeUnit.MILLISECONDS);
            return;
        }
        var e = out.event("paused");
        long last = lastWall; // written under the replay's monitor, which pause() has just taken
        if (last != Long.MIN_VALUE) e.put("at", Instant.EPOCH.plus(last, java.time.temporal.ChronoUnit.MICROS).toString());
        out.channel().eventLoop().execute(() -> out.writeAndFlush(e));
    }

    @Override
    public long dropped() {
        return 0;
    }

    @Override
    public long sent() {
        return out.framesSent();
    }

    @Override
    public void close() {
        replay.close();
        closeMasked();
    }
}
