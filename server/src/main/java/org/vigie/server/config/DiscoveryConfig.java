package org.vigie.server.config;

import java.time.Duration;

/**
 * The {@code discovery} section: where WS-Discovery probes for ONVIF cameras go ({@code bin/vms discover} and
 * {@code POST /api/v1/discovery}).
 *
 * <p>The interface defaults to {@code lo}: a probe then never leaves the machine (it only finds cameras simulated on
 * this host). A production site sets its camera LAN interface explicitly, so that a probe never goes out on an
 * administration or Internet-facing interface by accident. Multicast probes are sent with TTL 1 (they never cross
 * a router); cameras behind routers are found with unicast probes of a bounded address range.
 *
 * @param networkInterface the interface multicast probes are sent through (and whose IPv4 address every probe leaves from)
 * @param timeout          how long answers are collected
 * @param port             the WS-Discovery port cameras listen on (3702)
 */
public record DiscoveryConfig(String networkInterface, Duration timeout, int port) {

    public static final DiscoveryConfig DEFAULTS = new DiscoveryConfig("lo", Duration.ofSeconds(3), 3702);

    static DiscoveryConfig read(ConfigNode n) throws ConfigException {
        DiscoveryConfig c = new DiscoveryConfig(
                n.string("interface", DEFAULTS.networkInterface()),
                n.duration("timeout", DEFAULTS.timeout(), Duration.ofMillis(200), Duration.ofSeconds(30)),
                n.integer("port", DEFAULTS.port(), 1, 65535));
        n.finish();
        return c;
    }
}
