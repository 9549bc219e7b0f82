package org.vigie.simulator;

import org.vigie.rtsp.header.Transport;
import org.vigie.rtsp.rtp.RtpStream;
import org.vigie.rtsp.server.RtpSender;
import io.netty.channel.Channel;
import java.time.Duration;
import java.time.Instant;

/**
 * One RTSP session: a client that SETUP the video track of one camera, over one transport.
 *
 * <p>Lifecycle: READY after SETUP, PLAYING after PLAY (back to READY on PAUSE), removed on TEARDOWN, on the
 * closing of its RTSP connection, on {@link SimulatedCamera#stop()} or, for UDP sessions, after
 * {@code timeout} without a request or an RTCP receiver report.
 *
 * <p>Invariants: a playing session receives frames from its start tick on, and only from an IDR picture on (at
 * start, and again after frames were dropped because the client was not reading). Thread confinement: every
 * mutable field except {@code lastActivity} is guarded by the monitor of {@link #camera()}.
 */
public final class RtspSession {

    /** Where a session is in its lifecycle. */
    public enum State { READY, PLAYING, CLOSED }

    private final String id;
    private final SimulatedCamera camera;
    private final Channel controlChannel;
    private final String trackUrl;
    private final Transport transport;
    private final RtpSender sender;
    private final int timestampOffset;
    private final int ticksPerFrame;
    private final Duration timeout;

    private State state = State.READY;
    private long startTick;
    private boolean waitingForIdr = true;
    private boolean resyncingAfterDrop;
    private long framesSent;
    private long framesDropped;
    private volatile Instant lastActivity;

    RtspSession(String id, SimulatedCamera camera, Channel controlChannel, String trackUrl, Transport transport,
                RtpSender sender, int timestampOffset, int ticksPerFrame, Duration timeout, Instant now) {
        this.id = id;
        this.camera = camera;
        this.controlChannel = controlChannel;
        this.trackUrl = trackUrl;
        this.transport = transport;
        this.sender = sender;
        this.timestampOffset = timestampOffset;
        this.ticksPerFrame = ticksPerFrame;
        this.timeout = timeout;
        this.lastActivity = now;
    }

    public String id() {
        return id;
    }

    public SimulatedCamera camera() {
        return camera;
    }

    public Transport transport() {
        return transport;
    }

    /** The URL the client used in SETUP, echoed in RTP-Info. */
    String trackUrl() {
        return trackUrl;
    }

    Channel controlChannel() {
        return controlChannel;
    }

    RtpStream rtp() {
        return sender.stream();
    }

    /**
     * The RTP timestamp of the frame emitted at a pacer tick: {@code offset + tick * ticksPerFrame} (mod 2^32), so
     * that timestamps run on continuously across loops of the clip.
     */
    int timestampAt(long tick) {
        return (int) (timestampOffset + tick * ticksPerFrame);
    }

    Duration timeout() {
        return timeout;
    }

    /** Records a sign of life from the client (an RTSP request or an RTCP receiver report). */
    void touch(Instant now) {
        lastActivity = now;
    }

    boolean expired(Instant now) {
        return !transport.tcp() && lastActivity.plus(timeout).isBefore(now);
    }

    // ---- guarded by camera's monitor ----

    State state() {
        return state;
    }

    void play(long fromTick) {
        state = State.PLAYING;
        startTick = fromTick;
        waitingForIdr = true;
        resyncingAfterDrop = false;
    }

    void pause() {
        if (state == State.PLAYING) {
            state = State.READY;
        }
    }

    void close() {
        state = State.CLOSED;
    }

    long framesSent() {
        return framesSent;
    }

    long framesDropped() {
        return framesDropped;
    }

    /** Sends the frame of this tick if the session is playing, has reached an IDR and the client keeps up. */
    void deliver(long tick, RtpAccessUnit au, Instant now) {
        if (state != State.PLAYING || tick < startTick) {
            return;
        }
        if (waitingForIdr && !au.idr()) {
            if (resyncingAfterDrop) {
                framesDropped++;
            }
            return;
        }
        if (!sender.isWritable()) {
            framesDropped++;
            waitingForIdr = true;
            resyncingAfterDrop = true;
            return;
        }
        waitingForIdr = false;
        resyncingAfterDrop = false;
        // the sender report (after the first frame, then every interval of the injected clock) maps this frame's
        // RTP timestamp to the clock's time
        sender.sendPayloads(au.payloads(), timestampAt(tick), Math.addExact(Math.multiplyExact(now.getEpochSecond(),
                1_000_000L), now.getNano() / 1000), null);
        framesSent++;
    }
}
