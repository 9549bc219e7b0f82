package org.vigie.server.config;

import java.time.Duration;

/** The {@code ingest} section: how cameras are pulled, and how a lost camera is retried. */
public record IngestConfig(Transport transport, Duration latency, Duration reconnectMin, Duration reconnectMax,
                           Duration noDataTimeout) {

    /** RTP transport towards the cameras. */
    public enum Transport { TCP, UDP }

    static IngestConfig read(ConfigNode n) throws ConfigException {
        Duration min = n.duration("reconnect-min", Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofMinutes(5));
        Duration max = n.duration("reconnect-max", Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofHours(1));
        if (max.compareTo(min) < 0) {
            throw new ConfigException(n.keyPath("reconnect-max"), "must not be less than reconnect-min");
        }
        IngestConfig c = new IngestConfig(
                n.enumValue("transport", Transport.TCP, Transport.class),
                n.duration("latency", Duration.ofMillis(200), Duration.ZERO, Duration.ofSeconds(5)),
                min, max,
                n.duration("no-data-timeout", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(10)));
        n.finish();
        return c;
    }
}
