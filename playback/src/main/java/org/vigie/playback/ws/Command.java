package org.vigie.playback.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.vigie.media.StreamKey;

/**
 * A control message of a client (a JSON text frame), validated. See {@code docs/streaming.md}.
 *
 * @param op       open, close, pause, resume, speed, seek or step
 * @param channel  the client's channel id, 0 .. 2^31-1
 * @param key      camera and stream (open only)
 * @param from     start of an archive channel (open; null for live)
 * @param rate     playback rate (open of an archive channel, speed)
 * @param to       seek target
 * @param thenLive an archive channel switches to live when it reaches the live edge (open)
 * @param lift     the lift of liftable privacy masks asked (open: {@code unmask}, {@code reason})
 */
record Command(String op, int channel, StreamKey key, Instant from, double rate, Instant to, boolean thenLive,
               org.vigie.playback.MaskLift lift) {

    Command(String op, int channel, StreamKey key, Instant from, double rate, Instant to, boolean thenLive) {
        this(op, channel, key, from, rate, to, thenLive, org.vigie.playback.MaskLift.NONE);
    }

    static final double MIN_RATE = org.vigie.playback.archive.ArchiveReplay.MIN_RATE;
    static final double MAX_RATE = org.vigie.playback.archive.ArchiveReplay.MAX_RATE;
    private static final ObjectMapper JSON = new ObjectMapper();

    static Command parse(String text) throws ChannelRefusedException {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (Exception e) {
            throw new ChannelRefusedException(400, "malformed JSON control message");
        }
        if (n == null || !n.isObject()) throw new ChannelRefusedException(400, "a control message is a JSON object");
        String op = n.path("op").asText("");
        JsonNode ch = n.get("channel");
        if (!isChannel(ch)) {
            throw new ChannelRefusedException(400, "'channel' must be an integer 0 .. 2147483647");
        }
        int channel = ch.asInt();
        switch (op) {
            case "open" -> {
                String camera = n.path("camera").asText("");
                String stream = n.path("stream").asText(StreamKey.MAIN);
                if (!StreamKey.isSafeName(camera)) throw new ChannelRefusedException(400, "invalid 'camera'");
                if (!stream.equals(StreamKey.MAIN) && !stream.equals(StreamKey.SUB)) {
                    throw new ChannelRefusedException(400, "'stream' must be main or sub");
                }
                String mode = n.path("mode").asText("live");
                Instant from = null;
                if (mode.equals("archive")) {
                    from = instant(n, "from");
                } else if (!mode.equals("live")) {
                    throw new ChannelRefusedException(400, "'mode' must be live or archive");
                }
                double rate = n.has("rate") ? rate(n) : 1.0;
                org.vigie.playback.MaskLift lift;
                try {
                    lift = org.vigie.playback.MaskLift.of(text(n, "unmask"), text(n, "reason"));
                } catch (IllegalArgumentException e) {
                    throw new ChannelRefusedException(400, e.getMessage());
                }
                return new Command(op, channel, new StreamKey(camera, stream), from, rate, null,
                        n.path("thenLive").asBoolean(false), lift);
            }
            case "speed" -> {
                return new Command(op, channel, null, null, rate(n), null, false);
            }
            case "seek" -> {
                return new Command(op, channel, null, null, 1.0, instant(n, "to"), false);
            }
            case "close", "pause", "resume", "step" -> {
                return new Command(op, channel, null, null, 1.0, null, false);
            }
            default -> throw new ChannelRefusedException(400,
                    "unknown 'op' (open, close, pause, resume, speed, seek, step)");
        }
    }

    /**
     * Whether a JSON value is a channel id: an integral number 0 .. 2^31-1 ({@code 1.5} is not channel 1, nor is
     * {@code "1"}: Jackson's {@code canConvertToInt} alone would truncate a fraction).
     */
    private static boolean isChannel(JsonNode ch) {
        return ch != null && ch.isIntegralNumber() && ch.canConvertToInt() && ch.asInt() >= 0;
    }

    /** The channel a message names, for an error about it; -1 when there is none. */
    static int channelOf(String text) {
        try {
            JsonNode ch = JSON.readTree(text).get("channel");
            return isChannel(ch) ? ch.asInt() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static Instant instant(JsonNode n, String field) throws ChannelRefusedException {
        try {
            return org.vigie.base.InstantBounds.parse(n.path(field).asText(""));
        } catch (java.time.DateTimeException e) {
            throw new ChannelRefusedException(400, "'" + field + "' must be " + org.vigie.base.InstantBounds.EXPECTED);
        }
    }

    private static String text(JsonNode n, String field) throws ChannelRefusedException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new ChannelRefusedException(400, "'" + field + "' must be a string");
        return v.asText();
    }

    private static double rate(JsonNode n) throws ChannelRefusedException {
        JsonNode r = n.get("rate");
        if (r == null || !r.isNumber() || r.asDouble() < MIN_RATE || r.asDouble() > MAX_RATE) {
            throw new ChannelRefusedException(400, "'rate' must be a number from 0.25 to 16");
        }
        return r.asDouble();
    }
}
