package org.vigie.rtsp.rtp;

/**
 * Extends 32-bit RTP timestamps to 64 bits across wraps (every 13 h 15 min at 90 kHz): each timestamp is taken as
 * the value nearest the previous one, so a step of less than 2^31 ticks in either direction is read as such.
 * The first timestamp keeps its unsigned value. Not thread-safe.
 */
public final class TimestampExtender {

    private boolean started;
    private long last;

    /** The extended value of {@code timestamp}. */
    public long extend(int timestamp) {
        if (!started) {
            started = true;
            last = timestamp & 0xFFFF_FFFFL;
            return last;
        }
        last += (int) (timestamp - (int) last);
        return last;
    }

    /** The extended value of a timestamp near the last one, without moving the reference (RTCP's). */
    public long peek(int timestamp) {
        if (!started) {
            return timestamp & 0xFFFF_FFFFL;
        }
        return last + (int) (timestamp - (int) last);
    }

    public boolean started() {
        return started;
    }
}
