package org.vigie.playback.rtsp;

import java.time.Instant;
import java.util.Locale;
import org.vigie.base.InstantBounds;
import org.vigie.media.StreamKey;
import org.vigie.playback.archive.ArchiveReplay;
import org.vigie.rtsp.header.Range;

/**
 * What an RTSP URL names: {@code /live/{id}} and {@code /live/{id}/sub} (the camera's live main or sub stream),
 * {@code /archive/{id}} and {@code /archive/{id}/sub} (its recordings). Archive URLs may carry
 * {@code ?start=<instant>} (ISO-8601 {@code 2026-11-25T22:15:00Z} or ONVIF {@code 20261125T221500Z}) and
 * {@code scale=<x>}, so that clients which only send {@code Range: npt=0-} (ffmpeg, GStreamer's rtspsrc) can start
 * a replay at a past time. A trailing track control ({@code /trackID=0}) is accepted after the path or after the
 * query, wherever a client appended it to the Content-Base. Immutable.
 *
 * @param start the replay start given in the URL, or null
 * @param scale the speed given in the URL, or null
 */
public record RtspTarget(boolean archive, String cameraId, String stream, Instant start, Double scale) {

    /** The track control of the only media stream, relative to the Content-Base. */
    public static final String TRACK = org.vigie.rtsp.sdp.SdpWriter.TRACK_CONTROL;

    public StreamKey key() {
        return new StreamKey(cameraId, stream);
    }

    /** A URL whose path is right but whose {@code start} or {@code scale} is not (a 400, not a 404). */
    public static final class BadParameter extends IllegalArgumentException {
        BadParameter(String message) {
            super(message);
        }
    }

    /**
     * Parses a request URI ({@code rtsp://host:port/path?query} or a bare path).
     *
     * @throws BadParameter          a bad {@code start} (not an instant, or out of {@code InstantBounds}) or
     *                               {@code scale}
     * @throws IllegalArgumentException a path that names nothing served
     */
    public static RtspTarget parse(String uri) {
        String s = uri;
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            int slash = s.indexOf('/', scheme + 3);
            s = slash < 0 ? "/" : s.substring(slash);
        }
        String path = s;
        String query = "";
        int q = s.indexOf('?');
        if (q >= 0) {
            path = s.substring(0, q);
            query = s.substring(q + 1);
        }
        path = stripTrack(path);
        query = stripTrack(query);
        String[] seg = path.replaceAll("/+$", "").split("/");
        // seg[0] is "" (leading slash)
        if (seg.length < 3 || seg.length > 4 || !seg[0].isEmpty()) {
            throw new IllegalArgumentException("expected /live/{camera}[/sub] or /archive/{camera}[/sub], got " + path);
        }
        boolean archive;
        switch (seg[1]) {
            case "live" -> archive = false;
            case "archive" -> archive = true;
            default -> throw new IllegalArgumentException("unknown path " + path + " (live or archive)");
        }
        String camera = seg[2];
        String stream = seg.length == 4 ? seg[3] : StreamKey.MAIN;
        if (!StreamKey.isSafeName(camera) || !(stream.equals(StreamKey.MAIN) || stream.equals(StreamKey.SUB))) {
            throw new IllegalArgumentException("bad camera or stream in " + path);
        }
        Instant start = null;
        Double scale = null;
        if (!query.isEmpty()) {
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                String k = eq < 0 ? kv : kv.substring(0, eq);
                String v = eq < 0 ? "" : java.net.URLDecoder.decode(kv.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8);
                try {
                    switch (k.toLowerCase(Locale.ROOT)) {
                        case "start" -> start = clock(v);
                        case "scale" -> scale = parseScale(v);
                        default -> {
                            // unknown parameters are ignored, as RTSP servers usually do
                        }
                    }
                } catch (IllegalArgumentException e) {
                    throw new BadParameter(e.getMessage());
                }
            }
        }
        if (!archive && (start != null || scale != null)) {
            throw new IllegalArgumentException("start and scale apply to /archive URLs only");
        }
        return new RtspTarget(archive, camera, stream, start, scale);
    }

    /** An absolute time of the URL (the rtsp library's {@link Range#parseClock}), within {@link InstantBounds}. */
    static Instant clock(String v) {
        Instant t = Range.parseClock(v);
        if (!InstantBounds.contains(t)) {
            throw new IllegalArgumentException("clock time '" + v + "' is out of range: dates must be "
                    + InstantBounds.RANGE);
        }
        return t;
    }

    static double parseScale(String v) {
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad scale '" + v + "'");
        }
        if (!(d >= ArchiveReplay.MIN_RATE && d <= ArchiveReplay.MAX_RATE)) {
            throw new IllegalArgumentException("scale must be between " + ArchiveReplay.MIN_RATE + " and "
                    + ArchiveReplay.MAX_RATE + " (reverse replay is not supported): " + v);
        }
        return d;
    }

    private static String stripTrack(String s) {
        String t = s;
        if (t.endsWith("/" + TRACK)) {
            t = t.substring(0, t.length() - TRACK.length() - 1);
        } else if (t.equals(TRACK)) {
            t = "";
        }
        return t;
    }
}
