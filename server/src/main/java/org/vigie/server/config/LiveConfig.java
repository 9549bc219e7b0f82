package org.vigie.server.config;

import java.time.Duration;

/**
 * The {@code live} section: live viewing (WebSocket and RTSP re-stream).
 *
 * @param gopCacheIdle how long a stream keeps its current GOP in memory after its last live viewer subscribed or
 *                     left, so that the next viewer starts at once; a stream not watched for longer (cold) holds no
 *                     GOP and its next viewer starts at the next key frame (up to one GOP later). Zero: never cached
 */
public record LiveConfig(Duration gopCacheIdle) {

    public static final LiveConfig DEFAULTS = new LiveConfig(Duration.ofMinutes(10));

    static LiveConfig read(ConfigNode n) throws ConfigException {
        LiveConfig c = new LiveConfig(n.duration("gop-cache-idle", DEFAULTS.gopCacheIdle, Duration.ZERO,
                Duration.ofDays(365)));
        n.finish();
        return c;
    }
}
