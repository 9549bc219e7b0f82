package org.vigie.rtsp.rtcp;

/**
 * What a receiver reports about one RTP source (RFC 3550 section 6.4.1 and appendices A.1, A.3, A.8): extended
 * highest sequence number, cumulative and fractional loss, interarrival jitter, and the timing of the last sender
 * report (LSR/DLSR), so that the sender can compute the round trip. Not thread-safe: one per stream, on its event
 * loop.
 */
public final class ReceptionStats {

    private final int clockRate;
    private boolean started;
    private int baseSequence;
    private int maxSequence;
    private long cycles;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long lastTransit;
    private long jitter16; // jitter in timestamp units, times 16 (RFC 3550 A.8)
    private int lastSr;
    private long lastSrNanos;

    public ReceptionStats(int clockRate) {
        this.clockRate = clockRate;
    }

    /**
     * Counts a received packet.
     *
     * @param arrivalNanos the arrival time on a monotonic clock ({@link System#nanoTime()} or a test clock)
     */
    public void onPacket(int sequence, int rtpTimestamp, long arrivalNanos) {
        long arrival = Math.floorDiv(arrivalNanos, 1000L) * clockRate / 1_000_000L;
        long transit = arrival - (rtpTimestamp & 0xFFFF_FFFFL);
        if (!started) {
            started = true;
            baseSequence = sequence;
            maxSequence = sequence;
            lastTransit = transit;
        } else {
            int delta = (sequence - maxSequence) & 0xFFFF;
            if (delta > 0 && delta < 0x8000) {
                if (sequence < maxSequence) {
                    cycles += 0x10000;
                }
                maxSequence = sequence;
            }
            long d = Math.abs(transit - lastTransit);
            if (d < (1L << 31)) {
                jitter16 += d - ((jitter16 + 8) >> 4);
            }
            lastTransit = transit;
        }
        received++;
    }

    /** Notes a sender report's arrival, for the next report's LSR and DLSR. */
    public void onSenderReport(SenderReport sr, long arrivalNanos) {
        lastSr = sr.lsr();
        lastSrNanos = arrivalNanos;
    }

    public long received() {
        return received;
    }

    /** The extended highest sequence number received. */
    public long extendedHighest() {
        return cycles + maxSequence;
    }

    /** Packets expected minus packets received since the first (negative with duplicates). */
    public long cumulativeLost() {
        return started ? extendedHighest() - baseSequence + 1 - received : 0;
    }

    /** The report block for a receiver report sent now (moves the "since the last report" reference). */
    public ReportBlock block(int ssrc, long nowNanos) {
        long expected = started ? extendedHighest() - baseSequence + 1 : 0;
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long lost = Math.max(-0x800000L, Math.min(0x7FFFFFL, cumulativeLost()));
        long dlsr = lastSrNanos == 0 && lastSr == 0 ? 0 : (nowNanos - lastSrNanos) * 65536L / 1_000_000_000L;
        return new ReportBlock(ssrc, Math.min(fraction, 255), (int) lost, extendedHighest() & 0xFFFF_FFFFL,
                (jitter16 >> 4) & 0xFFFF_FFFFL, lastSr, dlsr & 0xFFFF_FFFFL);
    }
}
