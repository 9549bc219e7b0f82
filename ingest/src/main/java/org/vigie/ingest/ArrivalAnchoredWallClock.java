package org.vigie.ingest;

/**
 * The default {@link WallClock}: anchors the session at the arrival time of its first frame, then follows the
 * camera's media time (so network jitter does not leak into frame times). The NTP reference is ignored: a camera's
 * clock may be wrong; the recorder's mapper decides whether to trust it.
 *
 * <p>Invariant: results strictly increase (equal media times get +1 µs). Confined to one streaming thread.
 */
public final class ArrivalAnchoredWallClock implements WallClock {

    private boolean anchored;
    private long anchorMedia90k;
    private long anchorWallMicros;
    private long last = Long.MIN_VALUE;

    @Override
    public long toWallMicros(long mediaTime90k, long arrivalMicros, long ntpMicros) {
        if (!anchored) {
            anchored = true;
            anchorMedia90k = mediaTime90k;
            anchorWallMicros = arrivalMicros;
        }
        long wall = anchorWallMicros + (mediaTime90k - anchorMedia90k) * 100 / 9;
        if (wall <= last) {
            wall = last + 1;
        }
        last = wall;
        return wall;
    }
}
