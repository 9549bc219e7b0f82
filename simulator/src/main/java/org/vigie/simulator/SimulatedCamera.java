package org.vigie.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated camera: a position in the shared clip and the sessions that watch it. At every pacer tick the
 * camera emits its next access unit to all its playing sessions, as a real camera multicasts one encoder output
 * to every client.
 *
 * <p>Invariants: the access unit of tick {@code t} is {@code clip[(t + loopOffset) mod n]} and every session's RTP
 * timestamp of tick {@code t} is its offset plus {@code t * 90000 / fps}: timestamps and sequence numbers run on
 * across loops. A stopped camera has no session and refuses new ones (the RTSP layer answers 404).
 *
 * <p>Thread confinement: the session list and the sessions' mutable state are guarded by this object's monitor;
 * {@link #emit} runs on the pacer thread, the rest on Netty event loops.
 */
public final class SimulatedCamera {

    private final String id;
    private final List<RtpAccessUnit> clip;
    private final int loopOffset;
    private final List<RtspSession> sessions = new ArrayList<>();
    private volatile boolean running = true;
    private long nextTick;

    SimulatedCamera(String id, List<RtpAccessUnit> clip, int loopOffset) {
        if (clip.isEmpty()) {
            throw new IllegalArgumentException("empty clip");
        }
        this.id = id;
        this.clip = clip;
        this.loopOffset = Math.floorMod(loopOffset, clip.size());
    }

    public String id() {
        return id;
    }

    public boolean isRunning() {
        return running;
    }

    /** Adds a session set up for this camera; false when the camera is stopped. */
    synchronized boolean add(RtspSession session) {
        if (!running) {
            return false;
        }
        sessions.add(session);
        return true;
    }

    synchronized void remove(RtspSession session) {
        session.close();
        sessions.remove(session);
    }

    /**
     * Where a session starts playing, for the RTP-Info header.
     *
     * @param tick     the pacer tick of its first frame
     * @param sequence the sequence number of its first RTP packet
     * @param rtpTime  the RTP timestamp of its first frame
     */
    record PlayStart(long tick, int sequence, int rtpTime) {
    }

    /** Starts a session playing at the first IDR picture at or after the next tick to be emitted. */
    synchronized PlayStart play(RtspSession session) {
        long tick = nextTick;
        while (!clip.get(index(tick)).idr()) {
            tick++;
        }
        session.play(tick);
        return new PlayStart(tick, session.rtp().nextSequence(), session.timestampAt(tick));
    }

    synchronized void pause(RtspSession session) {
        session.pause();
    }

    /** Emits the access unit of {@code tick} to every playing session. Called by the pacer, ticks in order. */
    synchronized void emit(long tick, Instant now) {
        nextTick = tick + 1;
        if (sessions.isEmpty()) {
            return;
        }
        RtpAccessUnit au = clip.get(index(tick));
        for (RtspSession s : sessions) {
            s.deliver(tick, au, now);
        }
    }

    /** Stops the camera: it refuses new sessions; its current sessions are removed and returned for closing. */
    synchronized List<RtspSession> stop() {
        running = false;
        List<RtspSession> closed = new ArrayList<>(sessions);
        closed.forEach(RtspSession::close);
        sessions.clear();
        return closed;
    }

    synchronized void start() {
        running = true;
    }

    /** Sessions that have timed out (UDP without keep-alive), removed from this camera. */
    synchronized List<RtspSession> expire(Instant now) {
        List<RtspSession> expired = new ArrayList<>();
        for (RtspSession s : sessions) {
            if (s.expired(now)) {
                expired.add(s);
            }
        }
        expired.forEach(this::remove);
        return expired;
    }

    /** A snapshot of the camera's counters. */
    public synchronized CameraStats stats() {
        long sent = 0;
        long dropped = 0;
        int playing = 0;
        for (RtspSession s : sessions) {
            sent += s.framesSent();
            dropped += s.framesDropped();
            if (s.state() == RtspSession.State.PLAYING) {
                playing++;
            }
        }
        return new CameraStats(id, running, sessions.size(), playing, sent, dropped);
    }

    private int index(long tick) {
        return (int) ((tick + loopOffset) % clip.size());
    }
}
