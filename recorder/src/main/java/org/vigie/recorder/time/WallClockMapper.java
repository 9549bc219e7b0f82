package org.vigie.recorder.time;

import java.time.Instant;
import java.time.InstantSource;

/**
 * Maps one ingest session's media time (90 kHz, unwrapped, non-decreasing) to UTC microseconds.
 *
 * <p>The first frame is anchored on its reference: the sender's NTP wall time when given (from RTCP sender
 * reports), else its arrival instant read from the injected {@link InstantSource}. Afterwards wall time follows
 * media time, and is pulled towards each frame's reference by at most {@code maxCorrectionPpm} of the media time
 * elapsed since the previous frame (1000 ppm = 1 ms per second), so network jitter barely moves it while a drifting
 * camera clock is followed. When the reference is further than {@code reanchorThresholdMicros} from the prediction
 * (a camera clock set, a stall), the mapping re-anchors on the reference ({@link #reanchors()} counts it).
 *
 * <p>Invariants: the output strictly increases from call to call, and is never before {@code notBeforeMicros}
 * (the end of the stream's previous segment), so consecutive recordings never overlap.
 *
 * <p>Not thread-safe: one instance per session, confined to the thread that delivers its frames.
 */
public final class WallClockMapper {

    /** Tuning of the mapping. */
    public record Settings(int maxCorrectionPpm, long reanchorThresholdMicros) {

        public static final Settings DEFAULT = new Settings(1000, 10_000_000L);

        public Settings {
            if (maxCorrectionPpm < 0 || maxCorrectionPpm > 100_000) {
                throw new IllegalArgumentException("maxCorrectionPpm out of [0, 100000]: " + maxCorrectionPpm);
            }
            if (reanchorThresholdMicros <= 0) {
                throw new IllegalArgumentException("reanchorThresholdMicros must be positive");
            }
        }
    }

    private final InstantSource clock;
    private final Settings settings;
    private final long notBeforeMicros;

    private boolean anchored;
    private long anchorMedia;
    private long anchorWall;
    private long correction;
    private long lastMedia;
    private long lastWall;
    private long reanchors;

    public WallClockMapper(InstantSource clock, Settings settings, long notBeforeMicros) {
        this.clock = clock;
        this.settings = settings;
        this.notBeforeMicros = notBeforeMicros;
    }

    /** Maps a frame using its arrival instant (now, from the clock) as the reference. */
    public long wallMicros(long mediaTime90k) {
        return map(mediaTime90k, toMicros(clock.instant()));
    }

    /** Maps a frame whose sender wall time is known (RTCP sender report), in UTC µs. */
    public long wallMicros(long mediaTime90k, long senderNtpMicros) {
        return map(mediaTime90k, senderNtpMicros);
    }

    /** How many times the mapping was re-anchored because the reference jumped. */
    public long reanchors() {
        return reanchors;
    }

    private long map(long media, long reference) {
        long out;
        if (!anchored) {
            out = Math.max(reference, notBeforeMicros);
            anchor(media, out);
            anchored = true;
        } else {
            if (media < lastMedia) {
                throw new IllegalArgumentException("media time went backwards: " + media + " < " + lastMedia);
            }
            long predicted = anchorWall + ticksToMicros(media - anchorMedia) + correction;
            long error = reference - predicted;
            if (Math.abs(error) > settings.reanchorThresholdMicros()) {
                out = Math.max(Math.max(reference, lastWall + 1), notBeforeMicros);
                anchor(media, out);
                reanchors++;
            } else {
                long maxStep = ticksToMicros(media - lastMedia) * settings.maxCorrectionPpm() / 1_000_000L;
                long step = Math.max(-maxStep, Math.min(maxStep, error));
                correction += step;
                out = predicted + step;
            }
            out = Math.max(out, lastWall + 1);
        }
        out = Math.max(out, notBeforeMicros);
        lastMedia = media;
        lastWall = out;
        return out;
    }

    private void anchor(long media, long wall) {
        anchorMedia = media;
        anchorWall = wall;
        correction = 0;
    }

    /** 90 kHz ticks to µs, floored. */
    public static long ticksToMicros(long ticks) {
        return Math.floorDiv(ticks * 100L, 9L);
    }

    /** µs to 90 kHz ticks, floored. */
    public static long microsToTicks(long micros) {
        return Math.floorDiv(micros * 9L, 100L);
    }

    private static long toMicros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000L);
    }
}
