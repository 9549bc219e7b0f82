package org.vigie.server.config;

import java.time.Duration;
import org.vigie.ingest.IngestEngines;

/**
 * The {@code ingest} section: how cameras are pulled, and how a lost camera is retried.
 *
 * @param engine {@code auto} (default: the Java RTSP client for RTSP over TCP and RTSPS, GStreamer for UDP and as
 *               fallback), {@code java} or {@code gstreamer}; a camera may override it
 */
public record IngestConfig(Transport transport, Duration latency, Duration reconnectMin, Duration reconnectMax,
                           Duration noDataTimeout, IngestEngines.Choice engine) {

    public IngestConfig(Transport transport, Duration latency, Duration reconnectMin, Duration reconnectMax,
                        Duration noDataTimeout) {
        this(transport, latency, reconnectMin, reconnectMax, noDataTimeout, IngestEngines.Choice.AUTO);
    }

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
                n.duration("no-data-timeout", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(10)),
                n.enumValue("engine", IngestEngines.Choice.AUTO, IngestEngines.Choice.class));
        n.finish();
        return c;
    }
}
