package org.vigie.media;

import java.util.Objects;

/**
 * One access unit (a whole picture) of a camera stream, as received, never transcoded.
 *
 * <p>Invariants, checked at construction:
 * <ul>
 *   <li>{@code data} is in MP4 sample form: each NAL unit prefixed by its 4-byte big-endian length (AVCC/HVCC),
 *       never Annex B start codes;</li>
 *   <li>{@code mediaTime90k} is the camera's presentation time in 90 kHz ticks, derived from RTP timestamps and
 *       unwrapped: within one {@linkplain #sessionId() ingest session} it never decreases;</li>
 *   <li>{@code wallMicros} is the UTC time of the picture in microseconds since the epoch, from
 *       {@code org.vigie.recorder.time.WallClockMapper}: within a session it strictly increases.</li>
 * </ul>
 * Frames are immutable once published: the data array is owned by the frame and must not be modified.
 *
 * @param sessionId identifies one continuous ingest session (one connection to the camera); a new value means
 *                  the stream was interrupted, so the recorder ends the segment and a gap is recorded
 */
public record Frame(VideoFormat format, long sessionId, long mediaTime90k, long wallMicros, boolean keyFrame,
                    byte[] data) {

    public Frame {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(data, "data");
        if (data.length < 5) {
            throw new IllegalArgumentException("access unit too short: " + data.length + " bytes");
        }
    }

    public int size() {
        return data.length;
    }

    @Override
    public String toString() {
        return "Frame[session=" + sessionId + " t90k=" + mediaTime90k + " wall=" + wallMicros
                + (keyFrame ? " key" : "") + " " + data.length + "B]";
    }
}
